import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HubRouteOptions, IHubRoute } from './hub-route';
import { DeliveryRetry, metricRuleName, ruleMetric, ruleTarget, ruleTargetNeedsRole } from '../private/delivery-targets';
import { serviceRole } from '../private/managed-policy-role';

// Internal to the library (not re-exported from index.ts): the construct behind an EventHub route.

/** What a route needs from its hub. */
export interface HubRouteInternals {
  readonly options: HubRouteOptions;
  readonly eventBus: events.IEventBus;
  /** The route's dead-letter queue (the hub's, a given one, or one made for the route). */
  readonly deadLetterQueue: (route: Construct) => sqs.IQueue;
  readonly retry: DeliveryRetry;
  readonly managedRoles: boolean;
  readonly hubPath: string;
  /** `aws:SourceArn` of every rule on the hub's bus. */
  readonly ruleSourceArn: string;
}

/** A route: one rule, its targets' role when they need one, its dead-letter queue when separate. Created by EventHub only. */
export class HubRoute extends Construct implements IHubRoute {
  public readonly rule: events.Rule;
  public readonly deadLetterQueue: sqs.IQueue;
  public readonly role?: iam.IRole;
  public readonly alarms: cloudwatch.IAlarm[] = [];
  private readonly eventBusName: string;
  /** The rule's name as CloudWatch reports it (the `RuleName` dimension). */
  private readonly metricRuleName: string;

  constructor(scope: Construct, id: string, props: HubRouteInternals) {
    super(scope, id);
    const { options } = props;
    this.eventBusName = props.eventBus.eventBusName;
    this.deadLetterQueue = props.deadLetterQueue(this);

    if (options.targets.some(ruleTargetNeedsRole)) {
      // Only EventBridge of this account may assume it (confused-deputy protection).
      const principal = new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      });
      this.role = serviceRole(this, 'TargetRole', principal, props.managedRoles, `Lets EventBridge deliver route ${id} of ${props.hubPath}`);
    }
    this.rule = new events.Rule(this, 'Rule', {
      eventBus: props.eventBus,
      eventPattern: options.eventPattern,
      description: options.description,
      enabled: options.enabled ?? true,
    });
    for (const target of options.targets) {
      this.rule.addTarget(ruleTarget(this, target, props.retry, this.deadLetterQueue, this.role, props.ruleSourceArn));
    }
    if (this.role) {
      // The role's policy must exist before EventBridge first delivers.
      this.rule.node.addDependency(this.role);
    }
    this.metricRuleName = metricRuleName(this.eventBusName, this.rule);
  }

  public metricMatchedEvents(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ruleMetric(this.eventBusName, this.metricRuleName, 'MatchedEvents', props);
  }

  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ruleMetric(this.eventBusName, this.metricRuleName, 'Invocations', props);
  }

  public metricFailedInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ruleMetric(this.eventBusName, this.metricRuleName, 'FailedInvocations', props);
  }

  public metricInvocationsSentToDlq(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ruleMetric(this.eventBusName, this.metricRuleName, 'InvocationsSentToDlq', props);
  }

  public metricInvocationsFailedToBeSentToDlq(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ruleMetric(this.eventBusName, this.metricRuleName, 'InvocationsFailedToBeSentToDlq', props);
  }
}
