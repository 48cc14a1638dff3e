// A worker tier: spot instances of an Auto Scaling group draining an SQS queue first in,
// first out (or, without a group, a consumer of fixed capacity). Jobs (3D model
// conversions) arrive with demand and in bulk uploads; the age of the oldest message grows
// when the pool falls behind.
import type { Dimension } from '@ballast/core';
import type { MetricSeries, MetricStore } from '../../metrics/metric-store.js';
import type { Random } from '../../random.js';
import type { AutoScalingGroup } from '../auto-scaling-group.js';
import type { IncidentSchedule } from '../incidents.js';
import { clamp, type MinuteContext, type SimulatedResource } from './minute.js';

export interface WorkerPoolSpec {
  tier: string;
  queueName: string;
  /** jobs per second at a normal weekday's evening peak */
  peakJobsPerSecond: number;
  /** jobs one busy instance completes per minute */
  jobsPerInstancePerMinute: number;
  /** how long one job takes, seconds: its message is in flight (not visible) meanwhile */
  jobSeconds: number;
  /** messages a bulk upload adds at most */
  maxBulkUpload: number;
  /** jobs per minute a consumer outside the platform config handles, when there is no group */
  fixedCapacityPerMinute: number;
}

interface Cohort {
  /** middle of the minute the messages arrived, epoch ms */
  arrivedAt: number;
  count: number;
}

const IDLE_CPU_PERCENT = 3;
const BUSY_CPU_PERCENT = 92;

export class WorkerPool implements SimulatedResource {
  readonly tier: string;
  /** messages waiting, oldest first */
  private readonly backlog: Cohort[] = [];
  private visible = 0;
  private readonly sqs: Record<'visible' | 'inflight' | 'age' | 'sent' | 'deleted', MetricSeries>;
  private readonly cpu: MetricSeries | undefined;
  /** jobs enqueued in the last simulated minute (drives thumbnail Lambdas of the tier) */
  lastSent = 0;

  constructor(
    readonly spec: WorkerPoolSpec,
    readonly group: AutoScalingGroup | undefined,
    store: MetricStore,
    private readonly random: Random,
    private readonly bulkUploads: IncidentSchedule,
  ) {
    this.tier = spec.tier;
    const dims: Dimension[] = [{ name: 'QueueName', value: spec.queueName }];
    const sqs = (metricName: string, unit: string) =>
      store.define({ namespace: 'AWS/SQS', metricName, dimensions: dims, unit, kind: 'value' });
    this.sqs = {
      visible: sqs('ApproximateNumberOfMessagesVisible', 'Count'),
      inflight: sqs('ApproximateNumberOfMessagesNotVisible', 'Count'),
      age: sqs('ApproximateAgeOfOldestMessage', 'Seconds'),
      sent: sqs('NumberOfMessagesSent', 'Count'),
      deleted: sqs('NumberOfMessagesDeleted', 'Count'),
    };
    this.cpu = group
      ? store.define({
          namespace: 'AWS/EC2',
          metricName: 'CPUUtilization',
          dimensions: [{ name: 'AutoScalingGroupName', value: group.name }],
          unit: 'Percent',
          kind: 'stats',
        })
      : undefined;
  }

  /** Messages a merchant's bulk upload adds per minute at time t (0 when none is running). */
  bulkUploadPerMinute(t: number): number {
    const upload = this.bulkUploads.at(t);
    if (!upload) return 0;
    const minutes = (upload.endMs - upload.startMs) / 60_000;
    return (this.spec.maxBulkUpload * (0.25 + 0.75 * upload.severity)) / minutes;
  }

  /** Messages waiting in the queue now. */
  get messagesVisible(): number {
    return this.visible;
  }

  simulateMinute(ctx: MinuteContext): void {
    const r = this.random;
    let sent = r.poisson(this.spec.peakJobsPerSecond * ctx.demand * 60);
    const bulk = this.bulkUploadPerMinute(ctx.startMs);
    if (bulk > 0) sent += r.poisson(bulk);
    this.lastSent = sent;
    if (sent > 0) {
      this.backlog.push({ arrivedAt: ctx.startMs + 30_000, count: sent });
      this.visible += sent;
    }

    const inService = this.group ? this.group.count('InService') : 0;
    const nominal = this.group
      ? inService * this.spec.jobsPerInstancePerMinute
      : this.spec.fixedCapacityPerMinute;
    const capacity = Math.max(0, Math.round(nominal * (1 + 0.05 * r.normal())));
    let toProcess = Math.min(capacity, this.visible);
    const processed = toProcess;
    while (toProcess > 0) {
      const oldest = this.backlog[0]!;
      const take = Math.min(oldest.count, toProcess);
      oldest.count -= take;
      toProcess -= take;
      if (oldest.count === 0) this.backlog.shift();
    }
    this.visible -= processed;

    const m = ctx.minute;
    this.sqs.sent.recordValue(m, sent);
    this.sqs.deleted.recordValue(m, processed);
    this.sqs.visible.recordValue(m, this.visible);
    // Messages being worked on at the minute's end: a job's worth of the minute's throughput.
    this.sqs.inflight.recordValue(m, Math.round((processed * this.spec.jobSeconds) / 60));
    const oldest = this.backlog[0];
    this.sqs.age.recordValue(
      m,
      oldest ? Math.max(0, Math.round((ctx.endMs - oldest.arrivedAt) / 1000)) : 0,
    );

    if (this.cpu && inService > 0) {
      const busy = capacity > 0 ? processed / capacity : 0;
      const avg = clamp(IDLE_CPU_PERCENT + BUSY_CPU_PERCENT * busy + 1.5 * r.normal(), 0, 100);
      const spread = 0.05 + 0.1 * r.next();
      this.cpu.recordStats(
        m,
        avg * inService,
        inService,
        clamp(avg * (1 - spread), 0, 100),
        clamp(avg * (1 + spread), 0, 100),
      );
    } else {
      this.cpu?.recordStats(m, 0, 0, 0, 0);
    }

    ctx.load.jobsSent += sent;
    ctx.load.workerInstances += inService;
  }
}
