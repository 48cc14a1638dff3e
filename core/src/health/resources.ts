// How each resource of a platform config shows up in CloudWatch: the dimensions that
// identify it (shared by its metrics and by alarms on them) and a short name for labels.
import type { Dimension } from '../model/health.js';
import type { Resource } from '../model/platform.js';

/** The dimensions that name this resource in CloudWatch; an alarm on any of them belongs to it. */
export function resourceDimensions(resource: Resource): Dimension[] {
  switch (resource.type) {
    case 'route53-health-check':
      return [{ name: 'HealthCheckId', value: resource.id }];
    case 'cloudfront-distribution':
      return [{ name: 'DistributionId', value: resource.id }];
    case 's3-bucket':
      return [{ name: 'BucketName', value: resource.name }];
    case 'alb':
      return [
        { name: 'LoadBalancer', value: resource.loadBalancer },
        { name: 'TargetGroup', value: resource.targetGroup },
      ];
    case 'asg':
      return [{ name: 'AutoScalingGroupName', value: resource.name }];
    case 'sqs-queue':
      return [{ name: 'QueueName', value: resource.name }];
    case 'lambda-function':
      return [{ name: 'FunctionName', value: resource.name }];
    case 'rds-instance':
      return [{ name: 'DBInstanceIdentifier', value: resource.id }];
    case 'dynamodb-table':
      return [{ name: 'TableName', value: resource.name }];
    case 'elasticache-cluster':
      return [{ name: 'CacheClusterId', value: resource.id }];
  }
}

/** A short human name: the ALB's name part, otherwise the resource's name or id. */
export function resourceLabel(resource: Resource): string {
  switch (resource.type) {
    case 'alb':
      return resource.loadBalancer.split('/')[1] ?? resource.loadBalancer;
    case 'route53-health-check':
    case 'cloudfront-distribution':
    case 'rds-instance':
    case 'elasticache-cluster':
      return resource.id;
    default:
      return resource.name;
  }
}

/** True when a metric or alarm with these dimensions is about this resource. */
export function dimensionsMatchResource(
  dimensions: readonly Dimension[],
  resource: Resource,
): boolean {
  const own = resourceDimensions(resource);
  return dimensions.some((d) => own.some((o) => o.name === d.name && o.value === d.value));
}
