// Load profiles: the shape of a load test as data (loadtests/profiles/<scenario>.json),
// validated here and scaled by --scale and --duration, so the same shape runs small on a
// laptop and full size on a cluster.
//
// A profile speaks in concurrent shoppers, the number people plan a sale with. k6's
// ramping-arrival-rate executor speaks in sessions started per time unit. The two are tied
// by Little's law: concurrent shoppers = arrival rate x session length, where the session
// length is what one shopper's journey takes (its think times; see sessionSeconds in
// journey.ts). An open model (arrival rate) keeps sending shoppers when the store slows
// down, as real shoppers do, instead of waiting for it as a fixed set of VUs would.
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import { formatPath } from '../config/parse-document.js';
import { DurationError, parseDuration } from '../duration.js';

/** The steps of a shopper's journey; every request of a script is tagged with one. */
export const LOAD_STEPS = [
  'landing',
  'catalog',
  'search',
  'product',
  'model-metadata',
  'model-glb',
  'texture',
  'cart',
  'checkout',
] as const;
export type LoadStep = (typeof LOAD_STEPS)[number];

/** Whole seconds, written as a number of seconds or as "90s", "15m", "2h". */
const SecondsSchema = z
  .union([z.number(), z.string()], { error: 'a duration: seconds, or text such as 90s or 15m' })
  .transform((value, ctx) => {
    if (typeof value === 'number') {
      if (Number.isInteger(value) && value > 0) return value;
      ctx.addIssue({
        code: 'custom',
        message: `${value} is not a whole number of seconds above 0`,
      });
      return z.NEVER;
    }
    try {
      return parseDuration(value) / 1000;
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration such as 90s or 15m` });
      return z.NEVER;
    }
  });

export const LoadStageSchema = z
  .object({
    /** what this stage is, e.g. "door-buster": reports name stages */
    name: z.string().min(1).optional(),
    duration: SecondsSchema,
    /** concurrent shoppers reached at the end of the stage (linear ramp from the previous) */
    shoppers: z.number().min(0),
  })
  .strict();
export type LoadStage = z.infer<typeof LoadStageSchema>;

/**
 * How far shoppers get. Defaults follow e-commerce averages: about 7% of product views add
 * to cart and 2-3% of sessions end in a purchase.
 */
export const FunnelSchema = z
  .object({
    /** catalog pages a shopper browses */
    catalogPages: z.number().int().min(1).max(50).default(2),
    /** share of sessions that search */
    searchShare: z.number().min(0).max(1).default(0.35),
    /** product pages a shopper opens */
    productViews: z.number().int().min(1).max(50).default(3),
    /** share of product views that open the 3D viewer (metadata, GLB, textures) */
    modelViewShare: z.number().min(0).max(1).default(0.9),
    /** share of product views that add the product to the cart */
    addToCartShare: z.number().min(0).max(1).default(0.07),
    /** share of sessions that check out (the conversion rate) */
    purchaseShare: z.number().min(0).max(1).default(0.025),
  })
  .strict();
export type Funnel = z.infer<typeof FunnelSchema>;

/** A kind of device, how many shoppers use it, and the level of detail its viewer loads. */
export const DeviceSchema = z
  .object({
    name: z.string().min(1),
    share: z.number().min(0).max(1),
    /** GLB level of detail: 0 = full detail, each level a coarser model */
    lod: z.number().int().min(0).max(5),
  })
  .strict();
export type Device = z.infer<typeof DeviceSchema>;

/** Sizes assumed when estimating bytes before the test (the storefront's catalog matches). */
export const AssetAssumptionsSchema = z
  .object({
    /** mean size of a full-detail (LOD 0) GLB, bytes */
    modelBytes: z.number().positive().default(25_500_000),
    /** each level of detail is this share of the one before */
    lodRatio: z.number().gt(0).max(1).default(0.25),
    texturesPerModel: z.number().min(0).max(20).default(3),
    /** mean size of a texture file, bytes */
    textureBytes: z.number().min(0).default(1_500_000),
    /** the landing page, bytes */
    pageBytes: z.number().min(0).default(60_000),
    /** a JSON answer of the store's API, bytes */
    apiBytes: z.number().min(0).default(6_000),
  })
  .strict();
export type AssetAssumptions = z.infer<typeof AssetAssumptionsSchema>;

const DEFAULT_DEVICES: Device[] = [
  { name: 'desktop', share: 0.3, lod: 0 },
  { name: 'tablet', share: 0.15, lod: 1 },
  { name: 'phone', share: 0.55, lod: 2 },
];

export const LoadProfileSchema = z
  .object({
    scenario: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case name such as black-friday'),
    description: z.string().min(1),
    executor: z.literal('ramping-arrival-rate').default('ramping-arrival-rate'),
    /** concurrent shoppers when the test starts */
    startShoppers: z.number().min(0),
    stages: z.array(LoadStageSchema).min(1),
    /** the most VUs k6 may start (it starts enough for the shoppers otherwise) */
    maxVus: z.number().int().positive().optional(),
    /** how long running journeys may finish after the last stage */
    gracefulStop: SecondsSchema.default(30),
    /** seconds a shopper spends on a page before the next one, drawn evenly in [min, max] */
    thinkTime: z
      .object({ minSeconds: z.number().min(0).max(600), maxSeconds: z.number().min(0).max(600) })
      .strict()
      .refine((t) => t.minSeconds <= t.maxSeconds, 'minSeconds must not be above maxSeconds')
      .default({ minSeconds: 3, maxSeconds: 12 }),
    funnel: FunnelSchema.default(FunnelSchema.parse({})),
    devices: z
      .array(DeviceSchema)
      .min(1)
      .refine(
        (devices) => Math.abs(devices.reduce((sum, d) => sum + d.share, 0) - 1) < 0.001,
        'device shares must add up to 1',
      )
      .default(DEFAULT_DEVICES),
    assets: AssetAssumptionsSchema.default(AssetAssumptionsSchema.parse({})),
    /**
     * Share of GLB and texture downloads whose bytes a script keeps and checks (size, GLB
     * magic). The rest are read to the end and dropped, which keeps k6's memory flat at
     * thousands of VUs; every download is timed and counted either way.
     */
    verifyShare: z.number().min(0).max(1).default(0.1),
  })
  .strict()
  .superRefine((profile, ctx) => {
    const { productViews, addToCartShare, purchaseShare } = profile.funnel;
    const carts = 1 - (1 - addToCartShare) ** productViews;
    if (purchaseShare > carts + 1e-9)
      ctx.addIssue({
        code: 'custom',
        path: ['funnel', 'purchaseShare'],
        message: `${purchaseShare} is above the share of sessions with a cart (${round(carts, 4)} from addToCartShare and productViews): raise those or lower it`,
      });
  });
export type LoadProfile = z.infer<typeof LoadProfileSchema>;

/**
 * A profile from its parsed JSON. Throws a ConfigError naming the source (the file) and
 * the path of each problem.
 */
export function parseLoadProfile(json: unknown, source: string): LoadProfile {
  const result = LoadProfileSchema.safeParse(json);
  if (result.success) return result.data;
  const issues: ConfigIssue[] = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  throw new ConfigError(source, issues, {
    heading: `Invalid load profile ${source} (${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}):`,
  });
}

export interface ScaleOptions {
  /** multiplies every shopper count (0.01 = a hundredth of the shoppers) */
  scale?: number;
  /** the whole test's length; each stage keeps its share of it */
  durationSeconds?: number;
  /** the most VUs k6 may start */
  maxVus?: number;
}

/** Total length of the stages, seconds (without the graceful stop). */
export function profileSeconds(profile: LoadProfile): number {
  return profile.stages.reduce((sum, s) => sum + s.duration, 0);
}

/**
 * The same shape at another size: shoppers multiplied by `scale`, stages stretched or
 * shrunk to `durationSeconds` in whole seconds (each at least 1 s, the total exact).
 */
export function scaleLoadProfile(profile: LoadProfile, options: ScaleOptions): LoadProfile {
  const { scale = 1, durationSeconds, maxVus } = options;
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new RangeError(`scale must be a positive number, got ${scale}`);
  const stages = profile.stages.map((s) => ({ ...s, shoppers: s.shoppers * scale }));
  if (durationSeconds !== undefined) {
    if (!Number.isInteger(durationSeconds) || durationSeconds < stages.length)
      throw new RangeError(
        `duration must be whole seconds, at least 1 s per stage (${stages.length} stages), got ${durationSeconds}`,
      );
    const total = profileSeconds(profile);
    let used = 0;
    stages.forEach((stage, i) => {
      const left = stages.length - i - 1;
      const share = Math.round((stage.duration / total) * durationSeconds);
      const seconds =
        left === 0
          ? durationSeconds - used
          : Math.min(Math.max(1, share), durationSeconds - used - left);
      stage.duration = seconds;
      used += seconds;
    });
  }
  return {
    ...profile,
    startShoppers: profile.startShoppers * scale,
    stages,
    ...(maxVus === undefined ? {} : { maxVus }),
  };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
