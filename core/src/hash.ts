// FNV-1a, 32 bits: a short, fast, deterministic hash of a string, for ids and fingerprints
// (not for security, and not for seeding random streams: see the sandbox's Random).

export const FNV_OFFSET_BASIS = 0x811c9dc5;

/** 32-bit FNV-1a of a string's UTF-16 code units, as an unsigned integer. */
export function fnv1a32(text: string, basis = FNV_OFFSET_BASIS): number {
  let hash = basis;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
