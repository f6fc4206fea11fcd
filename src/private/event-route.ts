import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlarmMeasure, AlarmSet, AlarmSpec } from './alarm-set';
import { checkDeadLetterQueueLocation } from './dead-letter-queue';
import { EVENTS_ALARM_DEFAULTS, EVENTS_LIMITS } from './defaults/events';
import {
  checkDeadLetterQueue, checkDeliveryDescription, checkDeliveryTarget, DeliveryRetry, metricRuleName, ruleMetric, ruleTarget,
  ruleTargetNeedsRole,
} from './delivery-targets';
import { serviceRole } from './managed-policy-role';
import { checkDeliveryRetry } from './schedules';
import { warn, WARNINGS } from './warnings';
import { BulwarkError } from '../core/errors';
import { HubTarget, HubTargetKind, IHubRoute } from '../core/hub-target';

/*
 * An event route: an EventBridge rule that delivers the events it matches to `HubTarget`s, each with
 * a retry policy and a dead-letter queue, and its three alarms. EventHub's routes are event routes on
 * the hub's bus; SecureBucket's are event routes on the default bus, where S3 sends its events.
 */

/** What a route is made of. */
export interface EventRouteProps {
  readonly eventPattern: events.EventPattern;
  readonly targets: HubTarget[];
  readonly description?: string;
  readonly enabled?: boolean;
  readonly eventBus: events.IEventBus;
  /** The route's dead-letter queue (shared, a given one, or one made for the route). */
  readonly deadLetterQueue: (route: Construct) => sqs.IQueue;
  readonly retry: DeliveryRetry;
  readonly managedRoles: boolean;
  /** The path of the construct that owns the route, for the role's description. */
  readonly ownerPath: string;
  /** `aws:SourceArn` of every rule on the bus, for targets in other stacks. */
  readonly ruleSourceArn: string;
}

/** A route: one rule, its targets' role when they need one, and the dead-letter queue it was given. */
export class EventRoute extends Construct implements IHubRoute {
  public readonly rule: events.Rule;
  public readonly deadLetterQueue: sqs.IQueue;
  public readonly role?: iam.IRole;
  public readonly alarms: cloudwatch.IAlarm[] = [];
  private readonly eventBusName: string;
  /** The rule's name as CloudWatch reports it (the `RuleName` dimension). */
  private readonly metricRuleName: string;

  constructor(scope: Construct, id: string, props: EventRouteProps) {
    super(scope, id);
    this.eventBusName = props.eventBus.eventBusName;
    this.deadLetterQueue = props.deadLetterQueue(this);

    if (props.targets.some(ruleTargetNeedsRole)) {
      // Only EventBridge of this account may assume it (confused-deputy protection).
      const principal = new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      });
      this.role = serviceRole(this, 'TargetRole', principal, props.managedRoles, `Lets EventBridge deliver route ${id} of ${props.ownerPath}`);
    }
    this.rule = new events.Rule(this, 'Rule', {
      eventBus: props.eventBus,
      eventPattern: props.eventPattern,
      description: props.description,
      enabled: props.enabled ?? true,
    });
    for (const target of props.targets) {
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

/**
 * The three alarms of every event route, keyed like the `failedInvocations`, `invocationsSentToDlq`
 * and `invocationsFailedToBeSentToDlq` alarm options. `replay` says how to deliver the events again
 * (an EventHub replays its archive; S3 events have none).
 */
export function eventRouteAlarms(replay: string) {
  const then = `${replay.charAt(0).toLowerCase()}${replay.slice(1)}`;
  return {
    failedInvocations: {
      id: 'FailedInvocationsAlarm',
      option: 'failedInvocations',
      measure: AlarmMeasure.COUNT,
      defaults: EVENTS_ALARM_DEFAULTS.failedInvocations,
      describe: ({ where }) => `EventBridge could not deliver events of ${where} to a target after every retry (FailedInvocations). `
        + 'They are in the route\'s dead-letter queue; each message names the rule and target (RULE_ARN, TARGET_ARN) and the error (ERROR_CODE, ERROR_MESSAGE). '
        + `Fix the target (missing permission, deleted resource, throttling), then ${then}`,
    },
    invocationsSentToDlq: {
      id: 'InvocationsSentToDlqAlarm',
      option: 'invocationsSentToDlq',
      measure: AlarmMeasure.COUNT,
      defaults: EVENTS_ALARM_DEFAULTS.invocationsSentToDlq,
      describe: ({ where }) => `Events of ${where} went to its dead-letter queue (InvocationsSentToDlq). `
        + 'Read them with the SQS console\'s "Poll for messages": the attributes RULE_ARN, TARGET_ARN, ERROR_CODE and ERROR_MESSAGE say what failed. '
        + `Fix the cause, then ${then} Delete the messages once replayed.`,
    },
    invocationsFailedToBeSentToDlq: {
      id: 'InvocationsFailedToBeSentToDlqAlarm',
      option: 'invocationsFailedToBeSentToDlq',
      measure: AlarmMeasure.COUNT,
      defaults: EVENTS_ALARM_DEFAULTS.invocationsFailedToBeSentToDlq,
      describe: ({ where }) => `Events of ${where} failed delivery AND could not be written to its dead-letter queue (InvocationsFailedToBeSentToDlq). `
        + 'Check that the queue exists, that its policy lets events.amazonaws.com send (aws:SourceArn of the rule) '
        + 'and, for a KMS-encrypted queue, that the key policy lets events.amazonaws.com use kms:GenerateDataKey and kms:Decrypt. '
        + `Then ${then}`,
    },
  } satisfies Record<string, AlarmSpec>;
}

/**
 * A route's three alarms (in its `Alarms` child), with the options of `alarms`; they join the route's
 * `alarms`, and are returned.
 */
export function addRouteAlarms(alarms: AlarmSet, specs: ReturnType<typeof eventRouteAlarms>, route: EventRoute, where: string): cloudwatch.IAlarm[] {
  const added: cloudwatch.IAlarm[] = [];
  for (const [spec, metric] of [
    [specs.failedInvocations, route.metricFailedInvocations.bind(route)],
    [specs.invocationsSentToDlq, route.metricInvocationsSentToDlq.bind(route)],
    [specs.invocationsFailedToBeSentToDlq, route.metricInvocationsFailedToBeSentToDlq.bind(route)],
  ] as const) {
    const alarm = alarms.add(spec, (period) => metric({ period }), { scope: route, where });
    if (alarm) {
      route.alarms.push(alarm);
      added.push(alarm);
    }
  }
  return added;
}

/** The route widgets of a dashboard section, filled in as routes are added. */
export class RouteWidgets {
  public readonly invocations = new cloudwatch.GraphWidget({ title: 'Route invocations (left) / failed (right)', width: 8 });
  public readonly deadLetters = new cloudwatch.GraphWidget({ title: 'Sent to DLQ (left) / failed to send (right)', width: 8 });
  public readonly queues = new cloudwatch.GraphWidget({ title: 'Dead-letter queue depth', width: 8 });

  public get all(): cloudwatch.IWidget[] {
    return [this.invocations, this.deadLetters, this.queues];
  }

  public addRoute(id: string, route: IHubRoute): void {
    this.invocations.addLeftMetric(route.metricInvocations({ label: `${id} invocations` }));
    this.invocations.addRightMetric(route.metricFailedInvocations({ label: `${id} failed` }));
    this.deadLetters.addLeftMetric(route.metricInvocationsSentToDlq({ label: `${id} sent to DLQ` }));
    this.deadLetters.addRightMetric(route.metricInvocationsFailedToBeSentToDlq({ label: `${id} failed to send` }));
  }
}

/** What an event route delivers: the options every construct with EventBridge routes takes. */
export interface RouteDeliveryOptions {
  readonly targets: HubTarget[];
  readonly description?: string;
  readonly deadLetterQueue?: sqs.IQueue;
  readonly retryAttempts?: number;
  readonly maxEventAge?: Duration;
}

/**
 * Checks the delivery of an event route (EventHub's routes, SecureBucket's event routes): 1 to 5
 * targets EventBridge can reach, the description, the dead-letter queue, the retry policy. A retry
 * policy with only event bus targets is refused (EventBridge takes none for them); with some, it warns.
 *
 * @param prop how messages name the route (`route 'Paid'`)
 * @param owner who sends to the dead-letter queue, for its location check (`the hub's rules and bus`)
 * @param ownBus the bus the rule is on, which cannot be its own target
 */
export function checkRouteDelivery(scope: Construct, prop: string, routeId: string, options: RouteDeliveryOptions, owner: string,
  ownBus?: events.IEventBus): void {
  if (!Array.isArray(options.targets) || options.targets.length < 1 || options.targets.length > EVENTS_LIMITS.maxTargetsPerRule) {
    throw BulwarkError.invalid(scope, `${prop} targets`, Array.isArray(options.targets) ? `${options.targets.length} targets` : options.targets,
      `a route takes 1 to ${EVENTS_LIMITS.maxTargetsPerRule} targets (EventBridge's limit per rule); add another route for more`);
  }
  options.targets.forEach((target, i) => checkDeliveryTarget(scope, `${prop} targets[${i}]`, target, 'route', ownBus));
  checkDeliveryDescription(scope, `${prop} description`, options.description);
  checkDeadLetterQueue(scope, `${prop} deadLetterQueue`, options.deadLetterQueue, 'route');
  checkDeadLetterQueueLocation(scope, `${prop} deadLetterQueue`, options.deadLetterQueue, { service: 'EventBridge', owner, account: false });
  checkDeliveryRetry(scope, prop, options);
  const busTargets = options.targets.filter((t) => t.kind === HubTargetKind.EVENT_BUS).length;
  if (busTargets > 0 && (options.retryAttempts !== undefined || options.maxEventAge !== undefined)) {
    if (busTargets === options.targets.length) {
      throw new BulwarkError(scope, `${prop}: retryAttempts and maxEventAge do not apply to event bus targets (EventBridge takes no retry `
        + 'policy for them); leave them unset');
    }
    warn(scope, WARNINGS.busTargetRetry, routeId);
  }
}
