import { Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EventHubAlarmsProps } from './event-hub-alarms';
import { EVENT_HUB_ALARMS } from './event-hub-monitoring';
import { SCHEDULE_GROUP_ID, validateEventHubProps, validateRoute, validateSchedule } from './event-hub-validation';
import { HubRouteOptions, HubRouteProps, HubScheduleOptions, IHubSchedule } from './hub-route';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { IHubRoute } from '../core/hub-target';
import { constructContext } from '../monitoring/construct-context';
import { MonitoredConstructProps } from '../monitoring/monitored-props';
import { AlarmSet } from '../private/alarm-set';
import { ConstructContext } from '../private/context';
import { createDeadLetterQueue, deadLetterDepth, DeadLetterWriter, sameKey } from '../private/dead-letter-queue';
import { EVENTS_DEFAULTS } from '../private/defaults/events';
import { allowEventBridgeDeadLetters, isDefaultBus } from '../private/delivery-targets';
import { addRouteAlarms, EventRoute, RouteWidgets } from '../private/event-route';
import { createScheduleGroup, ScheduledInvocation, scheduleGroupMetrics } from '../private/schedules';
import { checkGrantee } from '../private/shapes';
import { shortPath } from '../private/validation';
import { ensurePolicy, warn, WARNINGS } from '../private/warnings';

/**
 * Properties of `EventHub`.
 */
export interface EventHubProps extends MonitoredConstructProps {
  /**
   * An event bus of your own to route from. Its encryption, dead-letter queue and policy are yours
   * (synthesis warns `cdk-bulwark:event-hub:bus-dead-letter-queue` when the bus has no dead-letter
   * queue, or its configuration cannot be read).
   *
   * @default - a custom event bus with the hub's dead-letter queue, encrypted with `key` when there is one
   */
  readonly eventBus?: events.IEventBus;

  /**
   * Other AWS accounts (12-digit ids) allowed to put events on the created bus. The bus policy names
   * each account; it never allows `*`.
   *
   * @default - none: only principals of this account with `events:PutEvents` (see `grantPutEvents()`)
   */
  readonly publisherAccountIds?: string[];

  /**
   * Whether to archive every event of the bus for replay. The archive is deleted with the hub (an
   * archive left behind would keep its rule on the bus and block the bus's deletion).
   *
   * @default true
   */
  readonly archiveEnabled?: boolean;

  /**
   * How long the archive keeps events: whole days, 1 day or more. (EventBridge reads 0 as "forever";
   * the hub does not offer that, since storage is billed per GB-month.)
   *
   * @default Duration.days(30)
   */
  readonly archiveRetention?: Duration;

  /**
   * A standard SQS queue of your own for every event the hub cannot deliver: rule targets, the bus
   * itself and schedules (EventBridge and Scheduler cannot use FIFO queues). A queue created in this
   * app gets the queue and key policy statements EventBridge needs; for one from elsewhere, synthesis
   * warns what to allow.
   *
   * It receives the events that fail because the hub's key is disabled or missing, so it should not
   * be encrypted with that key (synthesis warns `cdk-bulwark:event-hub:dead-letter-queue-key`).
   *
   * @default - a queue with 14-day retention, TLS-only, SQS-managed encryption (in every profile: it
   * must survive a failure of the hub's key), retained on deletion
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * The customer-managed key of the created bus and archive, and of schedule payloads. Its policy
   * gets the statements EventBridge needs when it is created in this app. The created dead-letter
   * queues never use it: they receive the events that fail because this key is disabled or missing.
   *
   * @default - none in STANDARD (AWS-owned keys for the bus and archive); the stack key in REGULATED
   */
  readonly key?: kms.IKey;

  /**
   * How often EventBridge and Scheduler retry a failed delivery (0 to 185), unless a route or
   * schedule says otherwise.
   *
   * @default 185
   */
  readonly retryAttempts?: number;

  /**
   * How long EventBridge and Scheduler keep retrying an event (1 minute to 24 hours), unless a route
   * or schedule says otherwise.
   *
   * @default Duration.hours(24)
   */
  readonly maxEventAge?: Duration;

  /**
   * Routes to create now; add more with `addRoute()`.
   *
   * @default - none
   */
  readonly routes?: HubRouteProps[];

  /**
   * Alarm thresholds, or `enabled: false` to skip an alarm.
   *
   * @default - every alarm with its documented defaults
   */
  readonly alarms?: EventHubAlarmsProps;
}

/**
 * An EventBridge event bus where no event is lost: every route (rule) target and every schedule has
 * a dead-letter queue and a retry policy, the bus has a dead-letter queue for events it cannot
 * process, an archive keeps events for replay, the bus policy names each publisher account, and
 * alarms watch failed and dead-lettered deliveries.
 *
 * Delivery dead-letter queues catch events EventBridge could not *deliver*. Failures inside a Lambda
 * target go through the function's own asynchronous retries and dead-letter queue (`SecureFunction`).
 *
 * @example
 * declare const worker: QueueWorker;
 * const hub = new EventHub(this, 'Orders');
 * hub.addRoute('Paid', {
 *   eventPattern: { source: ['shop.orders'], detailType: ['OrderPaid'] },
 *   targets: [HubTarget.queue(worker.queue)],
 * });
 */
export class EventHub extends Construct {
  /** The event bus. */
  public readonly eventBus: events.IEventBus;

  /** The archive of every event of the bus, unless `archiveEnabled` is false. */
  public readonly archive?: events.Archive;

  /** The hub's dead-letter queue: routes without their own, schedules without their own, and the bus. */
  public readonly deadLetterQueue: sqs.IQueue;

  /** The customer-managed key, when one is used. */
  public readonly key?: kms.IKey;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  private readonly context: ConstructContext;
  private readonly alarmSet: AlarmSet;
  private readonly retryAttempts: number;
  private readonly maxEventAge: Duration;
  private readonly routesScope: Construct;
  private readonly schedulesScope: Construct;
  private readonly routeMap = new Map<string, EventRoute>();
  private readonly scheduleMap = new Map<string, ScheduledInvocation>();
  private readonly hubAlarms: cloudwatch.IAlarm[] = [];
  private readonly watchedQueues = new Set<sqs.IQueue>();
  /** The dead-letter queues whose policy already lets this hub's rules (and bus) send. */
  private readonly deadLetterSenders = new Set<sqs.IQueue>();
  /** The dead-letter queues of yours already checked for the hub's key. */
  private readonly sharedKeyQueues = new Set<sqs.IQueue>();
  /** `aws:SourceArn` of every rule on the hub's bus: `arn:...:rule/<bus name>/*`. */
  private readonly ruleSourceArn: string;
  private readonly widgets = new RouteWidgets();
  private scheduleGroupResource?: scheduler.ScheduleGroup;

  constructor(scope: Construct, id: string, props: EventHubProps = {}) {
    super(scope, id);
    validateEventHubProps(this, props);
    this.context = constructContext(this, props);
    this.alarmSet = this.context.alarms(Object.values(EVENT_HUB_ALARMS), props.alarms, 'EventHubAlarmsProps');

    // Defaults.
    this.complianceProfile = this.context.profile;
    this.key = this.context.key(props.key);
    this.retryAttempts = props.retryAttempts ?? EVENTS_DEFAULTS.retryAttempts;
    this.maxEventAge = props.maxEventAge ?? EVENTS_DEFAULTS.maxEventAge;

    // Bus name. It is set here, not read back from the bus: the key policy statements name the bus,
    // and a reference to the bus from its own key would make a dependency cycle (key -> bus -> key).
    // Queue policies name the bus's rules by it too, so a queue in another stack refers to no resource of this one.
    const busName = Names.uniqueResourceName(this, { maxLength: 256 });
    const ruleBusName = props.eventBus ? broughtBusName(props.eventBus) : busName;
    this.ruleSourceArn = Stack.of(this).formatArn({
      service: 'events', resource: 'rule', resourceName: isDefaultBus(ruleBusName) ? '*' : `${ruleBusName}/*`,
    });

    // Dead-letter queue first: the bus points at it. A created bus dead-letters to it too.
    this.deadLetterQueue = props.deadLetterQueue ?? this.createDeadLetterQueue(this);
    if (props.deadLetterQueue) {
      this.checkDeadLetterKey(props.deadLetterQueue);
    }
    this.prepareEventBridgeDeadLetterQueue(this.deadLetterQueue,
      props.eventBus ? undefined : Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: busName }));
    if (props.eventBus) {
      this.eventBus = props.eventBus;
      this.checkBroughtBus(props.eventBus);
    } else {
      const bus = new events.EventBus(this, 'Bus', {
        eventBusName: busName,
        deadLetterQueue: this.deadLetterQueue,
        kmsKey: this.key,
        description: `cdk-bulwark EventHub ${shortPath(this, 200)}`,
      });
      this.eventBus = bus;
      if (props.publisherAccountIds && props.publisherAccountIds.length > 0) {
        bus.addToResourcePolicy(new iam.PolicyStatement({
          sid: 'AllowPutEventsFromPublisherAccounts',
          principals: props.publisherAccountIds.map((account) => new iam.AccountPrincipal(account)),
          actions: ['events:PutEvents'],
          resources: [bus.eventBusArn],
        }));
      }
      if (this.key && !(this.key instanceof kms.Key) && !(props.archiveEnabled ?? true)) {
        warn(this, WARNINGS.hubKeyPolicy, this.key.node.path);
      }
    }

    // Archive of every event (an empty pattern archives all of them).
    if (props.archiveEnabled ?? true) {
      this.archive = new events.Archive(this, 'Archive', {
        sourceEventBus: this.eventBus,
        eventPattern: {},
        retention: props.archiveRetention ?? EVENTS_DEFAULTS.archiveRetention,
        description: `Every event of ${shortPath(this, 200)}, for replay`,
      });
      // The key is set on the L1: CDK's Archive writes its key statement with the bus's ARN attribute,
      // a cycle (key -> bus -> key) when the bus has the same key.
      const cfnArchive = this.archive.node.findChild('Archive') as events.CfnArchive;
      cfnArchive.kmsKeyIdentifier = this.key?.keyArn;
      if (this.key) {
        // A bus created in this app is named by its name property, not its ARN attribute, for the same reason.
        const broughtCfn = props.eventBus?.node.defaultChild;
        const name = props.eventBus ? (broughtCfn instanceof events.CfnEventBus ? broughtCfn.name : undefined) : busName;
        const busArn = name !== undefined
          ? Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: name })
          : props.eventBus!.eventBusArn;
        this.allowArchiveKey(this.key, busArn);
      }
    }

    this.routesScope = new Construct(this, 'Routes');
    this.schedulesScope = new Construct(this, 'Schedules');

    // Alarms and dashboard.
    this.watchDeadLetterQueue(this, this.deadLetterQueue, 'hub', this.hubAlarms);
    this.context.addSection('EventHub', ...this.widgets.all);

    // Routes given as props.
    for (const [i, route] of (props.routes ?? []).entries()) {
      if (route === null || typeof route !== 'object') {
        throw BulwarkError.invalid(this, `routes[${i}]`, route, 'it must be a route: { id, eventPattern, targets }');
      }
      const { id: routeId, ...options } = route;
      this.addRoute(routeId, options);
    }
  }

  /** Every route, in the order added. */
  public get routes(): IHubRoute[] {
    return [...this.routeMap.values()];
  }

  /** Every schedule, in the order added. */
  public get schedules(): IHubSchedule[] {
    return [...this.scheduleMap.values()];
  }

  /** The schedule group of the hub's schedules, once the first schedule is added. */
  public get scheduleGroup(): scheduler.IScheduleGroup | undefined {
    return this.scheduleGroupResource;
  }

  /** Every alarm of the hub, its routes and its schedules. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.hubAlarms, ...[...this.routeMap.values()].flatMap((route) => route.alarms)];
  }

  /**
   * Adds a route: an EventBridge rule that sends the events matching `eventPattern` to each target,
   * each with a dead-letter queue and a retry policy, and three alarms.
   *
   * @param id the route's id, unique in the hub (its construct id: never change it)
   * @param options the pattern, targets and delivery settings
   */
  public addRoute(id: string, options: HubRouteOptions): IHubRoute {
    validateRoute(this, id, options, this.routeMap, this.eventBus);
    if (options.deadLetterQueue) {
      this.checkDeadLetterKey(options.deadLetterQueue);
    }
    const route = new EventRoute(this.routesScope, id, {
      eventPattern: options.eventPattern,
      targets: options.targets,
      description: options.description,
      enabled: options.enabled,
      eventBus: this.eventBus,
      deadLetterQueue: (scope) => options.deadLetterQueue
        ?? (options.separateDeadLetterQueue ? this.createDeadLetterQueue(scope) : this.deadLetterQueue),
      retry: { retryAttempts: options.retryAttempts ?? this.retryAttempts, maxEventAge: options.maxEventAge ?? this.maxEventAge },
      managedRoles: this.context.traits.managedPolicies,
      ownerPath: shortPath(this, 120),
      ruleSourceArn: this.ruleSourceArn,
    });
    this.routeMap.set(id, route);
    this.prepareEventBridgeDeadLetterQueue(route.deadLetterQueue);
    // Alarm descriptions have a length limit; route ids do not.
    const shownId = id.length <= 60 ? id : `${id.slice(0, 57)}...`;
    const where = `route '${shownId}' of ${shortPath(this, 120)}`;
    addRouteAlarms(this.alarmSet, EVENT_HUB_ALARMS, route, where);
    this.watchDeadLetterQueue(route, route.deadLetterQueue, id, route.alarms);
    this.widgets.addRoute(id, route);
    return route;
  }

  /**
   * Adds a schedule: EventBridge Scheduler invokes the target on `schedule`, with a dead-letter
   * queue, a retry policy and a role that may invoke only that target.
   *
   * @param id the schedule's id, unique in the hub (its construct id: never change it)
   * @param options the expression, target and delivery settings
   */
  public addSchedule(id: string, options: HubScheduleOptions): IHubSchedule {
    validateSchedule(this, id, options, this.scheduleMap);
    const deadLetterQueue = options.deadLetterQueue ?? this.deadLetterQueue;
    if (options.deadLetterQueue) {
      this.checkDeadLetterKey(options.deadLetterQueue);
    }
    const schedule = new ScheduledInvocation(this.schedulesScope, id, {
      ...options,
      group: this.ensureScheduleGroup(),
      deadLetterQueue,
      retryAttempts: options.retryAttempts ?? this.retryAttempts,
      maxEventAge: options.maxEventAge ?? this.maxEventAge,
      managedRole: this.context.traits.managedPolicies,
      key: this.key,
      purpose: `Lets EventBridge Scheduler run schedule ${id} of ${shortPath(this, 120)}`,
    });
    this.scheduleMap.set(id, schedule);
    this.watchDeadLetterQueue(schedule, deadLetterQueue, id, this.hubAlarms);
    return schedule;
  }

  /**
   * Lets `grantee` put events on the bus: exactly `events:PutEvents` on the bus ARN, in the grantee's
   * own policy. Publishers need no KMS permission, also when the bus has a customer-managed key.
   * For principals of other accounts use `publisherAccountIds`.
   *
   * @param grantee the principal to grant to
   */
  public grantPutEvents(grantee: iam.IGrantable): iam.Grant {
    checkGrantee(this, 'grantPutEvents()', grantee);
    const grant = iam.Grant.addToPrincipal({ grantee, actions: ['events:PutEvents'], resourceArns: [this.eventBus.eventBusArn] });
    if (!grant.success) {
      throw new BulwarkError(this, `grantPutEvents() adds to the grantee's own IAM policy, and ${grantee.grantPrincipal} has none; `
        + 'for principals of another account list the account in publisherAccountIds');
    }
    return grant;
  }

  /** Messages in the hub's dead-letter queue (`ApproximateNumberOfMessagesVisible`, maximum over 5 minutes unless changed). */
  public metricDeadLetterQueueMessagesVisible(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * A dead-letter queue EventBridge and Scheduler write to, with SQS-managed encryption in every
   * profile: it receives the events that fail because the hub's key (bus, rule targets, schedule
   * payloads) is disabled or missing, so it must not depend on that key (DESIGN.md, "Failure paths
   * survive the failure they report").
   */
  private createDeadLetterQueue(scope: Construct): sqs.Queue {
    return createDeadLetterQueue(scope, 'DeadLetterQueue', { writers: [DeadLetterWriter.EVENTBRIDGE, DeadLetterWriter.SCHEDULER] });
  }

  /** Warns once per queue when a dead-letter queue of yours is encrypted with the hub's key: the failures of that key would not reach it. */
  private checkDeadLetterKey(queue: sqs.IQueue): void {
    const key = queue.encryptionMasterKey;
    if (!this.key || !key || this.sharedKeyQueues.has(queue)) {
      return;
    }
    this.sharedKeyQueues.add(queue);
    if (sameKey(key, this.key)) {
      warn(this, WARNINGS.hubDeadLetterQueueKey, queue.node.path, this.key.node.path);
    }
  }

  /**
   * AWS's documented key policy for archives: DescribeKey, and the data-key operations for events of
   * this bus only (the encryption context names the bus).
   */
  private allowArchiveKey(key: kms.IKey, busArn: string): void {
    const principals = [new iam.ServicePrincipal('events.amazonaws.com')];
    ensurePolicy(key, new iam.PolicyStatement({
      sid: `EventBridgeArchive${Names.uniqueId(this)}`.slice(0, 100),
      principals,
      actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:ReEncrypt*'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:EncryptionContext:aws:events:event-bus:arn': busArn } },
    }), () => warn(this, WARNINGS.hubKeyPolicy, key.node.path));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `EventBridgeArchiveDescribe${Names.uniqueId(this)}`.slice(0, 100),
      principals,
      actions: ['kms:DescribeKey'],
      resources: ['*'],
    }), /* allowNoOp */ true);
  }

  /**
   * Lets EventBridge send to a dead-letter queue and use its key. One queue policy statement per hub
   * and queue, however many routes share it (SQS allows 20 statements per queue policy): any rule on
   * the hub's bus (`aws:SourceArn` like `rule/<bus>/*`) and, for the bus's own undeliverable events
   * (KMS errors), the bus. Warns once when the queue's policy is not ours to change.
   */
  private prepareEventBridgeDeadLetterQueue(queue: sqs.IQueue, busArn?: string): void {
    if (this.deadLetterSenders.has(queue)) {
      return;
    }
    this.deadLetterSenders.add(queue);
    allowEventBridgeDeadLetters(this, queue, `EventHubDeadLetters${Names.uniqueId(this)}`,
      busArn === undefined ? [this.ruleSourceArn] : [this.ruleSourceArn, busArn],
      () => warn(this, WARNINGS.hubDeadLetterQueuePolicy, queue.node.path));
  }

  /**
   * One depth alarm (in the `Alarms` child of `scope`) and one dashboard line per dead-letter queue,
   * however many routes and schedules share it; the alarm joins `alarms`.
   */
  private watchDeadLetterQueue(scope: Construct, queue: sqs.IQueue, label: string, alarms: cloudwatch.IAlarm[]): void {
    if (this.watchedQueues.has(queue)) {
      return;
    }
    this.watchedQueues.add(queue);
    this.widgets.queues.addLeftMetric(queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, label }));
    const alarm = this.alarmSet.add(EVENT_HUB_ALARMS.deadLetterQueueMessages, deadLetterDepth(queue), { scope, where: shortPath(scope, 120) });
    if (alarm) {
      alarms.push(alarm);
    }
  }

  private ensureScheduleGroup(): scheduler.ScheduleGroup {
    if (!this.scheduleGroupResource) {
      const group = createScheduleGroup(this.schedulesScope, SCHEDULE_GROUP_ID);
      const metrics = scheduleGroupMetrics(group);
      const where = shortPath(this, 120);
      for (const spec of [EVENT_HUB_ALARMS.scheduleInvocationsSentToDlq, EVENT_HUB_ALARMS.scheduleInvocationsFailedToBeSentToDlq]) {
        const alarm = this.alarmSet.add(spec, metrics[spec.option as keyof typeof metrics], { scope: this.schedulesScope, where });
        if (alarm) {
          this.hubAlarms.push(alarm);
        }
      }
      this.widgets.deadLetters.addLeftMetric(group.metricSentToDLQ({ statistic: cloudwatch.Stats.SUM, label: 'schedules sent to DLQ' }));
      this.widgets.deadLetters.addRightMetric(group.metricFailedToBeSentToDLQ(undefined, {
        statistic: cloudwatch.Stats.SUM, label: 'schedules failed to send',
      }));
      this.scheduleGroupResource = group;
    }
    return this.scheduleGroupResource;
  }

  private checkBroughtBus(bus: events.IEventBus): void {
    const cfn = bus instanceof events.EventBus ? bus.node.defaultChild : undefined;
    if (cfn instanceof events.CfnEventBus && cfn.deadLetterConfig !== undefined) {
      return;
    }
    warn(this, WARNINGS.busDeadLetterQueue, bus.node.path, cfn instanceof events.CfnEventBus);
  }
}

/** The name of a brought bus: the literal name of a bus created in this app, else its `eventBusName`. */
function broughtBusName(bus: events.IEventBus): string {
  const cfn = bus.node.defaultChild;
  return cfn instanceof events.CfnEventBus && typeof cfn.name === 'string' && !Token.isUnresolved(cfn.name) ? cfn.name : bus.eventBusName;
}
