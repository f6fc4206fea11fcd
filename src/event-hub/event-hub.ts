import { Annotations, Duration, Fn, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { EventHubAlarmsProps } from './event-hub-alarms';
import { createDeadLetterQueueAlarm, createRouteAlarms, createScheduleAlarms, isDefaultBus, ruleMetric } from './event-hub-monitoring';
import { checkAccountIds, checkEventPattern, scheduleExpressionProblem } from './event-hub-validation';
import { HubRouteOptions, HubRouteProps, HubScheduleOptions, IHubRoute, IHubSchedule } from './hub-route';
import { HubTarget, HubTargetKind } from './hub-target';
import { ComplianceProfile, CompliancePolicy } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { MonitoredConstructProps } from '../monitoring/monitored-props';
import { IMonitoring, Monitoring } from '../monitoring/monitoring';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { EVENTS_DEFAULTS, EVENTS_LIMITS } from '../private/defaults/events';
import { SQS_DEFAULTS } from '../private/defaults/sqs';
import { serviceRole } from '../private/managed-policy-role';
import { allowKeyUser, KeyUser, stackKey } from '../private/stack-key';
import { checkDuration, checkExclusive, checkInteger, shortPath } from '../private/validation';

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
   * @default - a queue with 14-day retention, TLS-only, encrypted like the bus, retained on deletion
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * The customer-managed key of the created bus, archive and dead-letter queues, and of schedule
   * payloads. Its policy gets the statements EventBridge needs when it is created in this app.
   *
   * @default - none in STANDARD (AWS-owned keys for the bus and archive, SQS-managed SSE for queues); the stack key in REGULATED
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

  private readonly monitoring: IMonitoring;
  private readonly alarmProps: EventHubAlarmsProps;
  private readonly retryAttempts: number;
  private readonly maxEventAge: Duration;
  private readonly routesScope: Construct;
  private readonly schedulesScope: Construct;
  private readonly routeMap = new Map<string, HubRoute>();
  private readonly scheduleMap = new Map<string, HubSchedule>();
  private readonly hubAlarms: cloudwatch.IAlarm[] = [];
  private readonly watchedQueues = new Set<sqs.IQueue>();
  /** The dead-letter queues whose policy already lets this hub's rules (and bus) send. */
  private readonly deadLetterSenders = new Set<sqs.IQueue>();
  /** `aws:SourceArn` of every rule on the hub's bus: `arn:...:rule/<bus name>/*`. */
  private readonly ruleSourceArn: string;
  private readonly invocationsWidget: cloudwatch.GraphWidget;
  private readonly deadLettersWidget: cloudwatch.GraphWidget;
  private readonly queuesWidget: cloudwatch.GraphWidget;
  private scheduleGroupResource?: scheduler.ScheduleGroup;

  constructor(scope: Construct, id: string, props: EventHubProps = {}) {
    super(scope, id);
    this.validateProps(props);

    // Defaults.
    this.complianceProfile = CompliancePolicy.resolve(this, props.complianceProfile);
    const regulated = this.complianceProfile === ComplianceProfile.REGULATED;
    this.monitoring = props.monitoring ?? Monitoring.of(this);
    this.alarmProps = props.alarms ?? {};
    this.key = props.key ?? (regulated ? stackKey(this) : undefined);
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
    this.deadLetterQueue = props.deadLetterQueue ?? this.createDeadLetterQueue(this, 'DeadLetterQueue');
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
        this.warnForeignKey(this.key);
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
    this.invocationsWidget = new cloudwatch.GraphWidget({ title: 'Route invocations (left) / failed (right)', width: 8 });
    this.deadLettersWidget = new cloudwatch.GraphWidget({ title: 'Sent to DLQ (left) / failed to send (right)', width: 8 });
    this.queuesWidget = new cloudwatch.GraphWidget({ title: 'Dead-letter queue depth', width: 8 });
    const hubDlqAlarm = this.watchDeadLetterQueue(this, this.deadLetterQueue, 'hub');
    if (hubDlqAlarm) {
      this.hubAlarms.push(hubDlqAlarm);
    }
    this.monitoring.addSection(`EventHub ${shortPath(this)}`, this.invocationsWidget, this.deadLettersWidget, this.queuesWidget);

    // Routes given as props.
    for (const [i, route] of (props.routes ?? []).entries()) {
      if (route === null || typeof route !== 'object') {
        throw BulwarkError.invalid(this, `routes[${i}]`, route, 'it must be a route: { id, eventPattern, targets }');
      }
      this.addRoute(route.id, route);
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
    const derived = this.validateRoute(id, options);
    const route = new HubRoute(this.routesScope, id, {
      options,
      eventBus: this.eventBus,
      deadLetterQueue: derived.deadLetterQueue,
      retryAttempts: options.retryAttempts ?? this.retryAttempts,
      maxEventAge: options.maxEventAge ?? this.maxEventAge,
      managedRoles: this.complianceProfile === ComplianceProfile.REGULATED,
      hubPath: shortPath(this, 120),
      ruleSourceArn: this.ruleSourceArn,
      createDeadLetterQueue: (scope) => this.createDeadLetterQueue(scope, 'DeadLetterQueue'),
      separateDeadLetterQueue: derived.separate,
    });
    this.routeMap.set(id, route);
    this.prepareEventBridgeDeadLetterQueue(route.deadLetterQueue);
    // Alarm descriptions have a length limit; route ids do not.
    const shownId = id.length <= 60 ? id : `${id.slice(0, 57)}...`;
    route.alarms.push(...createRouteAlarms(route, `route '${shownId}' of ${shortPath(this, 120)}`, {
      failedInvocations: (o) => route.metricFailedInvocations(o),
      invocationsSentToDlq: (o) => route.metricInvocationsSentToDlq(o),
      invocationsFailedToBeSentToDlq: (o) => route.metricInvocationsFailedToBeSentToDlq(o),
    }, this.monitoring, this.alarmProps));
    const dlqAlarm = this.watchDeadLetterQueue(route, route.deadLetterQueue, id);
    if (dlqAlarm) {
      route.alarms.push(dlqAlarm);
    }
    this.invocationsWidget.addLeftMetric(route.metricInvocations({ label: `${id} invocations` }));
    this.invocationsWidget.addRightMetric(route.metricFailedInvocations({ label: `${id} failed` }));
    this.deadLettersWidget.addLeftMetric(route.metricInvocationsSentToDlq({ label: `${id} sent to DLQ` }));
    this.deadLettersWidget.addRightMetric(route.metricInvocationsFailedToBeSentToDlq({ label: `${id} failed to send` }));
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
    this.validateSchedule(id, options);
    const group = this.ensureScheduleGroup();
    const deadLetterQueue = options.deadLetterQueue ?? this.deadLetterQueue;
    const schedule = new HubSchedule(this.schedulesScope, id, {
      options,
      group,
      deadLetterQueue,
      retryAttempts: options.retryAttempts ?? this.retryAttempts,
      maxEventAge: options.maxEventAge ?? this.maxEventAge,
      managedRole: this.complianceProfile === ComplianceProfile.REGULATED,
      key: this.key,
      hubPath: shortPath(this, 120),
    });
    this.scheduleMap.set(id, schedule);
    const alarm = this.watchDeadLetterQueue(schedule, deadLetterQueue, id);
    if (alarm) {
      this.hubAlarms.push(alarm);
    }
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
   * A standard, TLS-only, retained dead-letter queue, encrypted with the hub's key (SQS-managed SSE
   * without one), acknowledged as what it is.
   */
  private createDeadLetterQueue(scope: Construct, id: string): sqs.Queue {
    const queue = new sqs.Queue(scope, id, {
      ...(this.key
        ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: this.key }
        : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
      retentionPeriod: SQS_DEFAULTS.deadLetterRetention,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Acknowledgements: the only finding the hub acknowledges, on each queue it creates.
    acknowledge(queue.node.defaultChild as sqs.CfnQueue, KNOWN_FINDINGS.serviceDeadLetterQueue);
    return queue;
  }

  /**
   * AWS's documented key policy for archives: DescribeKey, and the data-key operations for events of
   * this bus only (the encryption context names the bus).
   */
  private allowArchiveKey(key: kms.IKey, busArn: string): void {
    const statement = new iam.PolicyStatement({
      sid: `EventBridgeArchive${Names.uniqueId(this)}`.slice(0, 100),
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:ReEncrypt*'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:EncryptionContext:aws:events:event-bus:arn': busArn } },
    });
    const describe = new iam.PolicyStatement({
      sid: `EventBridgeArchiveDescribe${Names.uniqueId(this)}`.slice(0, 100),
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
    });
    const { statementAdded } = key.addToResourcePolicy(statement, /* allowNoOp */ true);
    key.addToResourcePolicy(describe, /* allowNoOp */ true);
    if (!statementAdded) {
      this.warnForeignKey(key);
    }
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
    if (queue.encryptionMasterKey) {
      allowKeyUser(this, queue.encryptionMasterKey, KeyUser.EVENTBRIDGE);
    }
    const sources = busArn === undefined ? this.ruleSourceArn : [this.ruleSourceArn, busArn];
    const { statementAdded } = queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: `EventHubDeadLetters${Names.uniqueId(this)}`.slice(0, 100),
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnLike: { 'aws:SourceArn': sources } },
    }));
    if (!statementAdded) {
      Annotations.of(this).addWarningV2('cdk-bulwark:event-hub:dead-letter-queue-policy',
        `The dead-letter queue ${queue.node.path} was not created in this app, so its policy cannot be changed here. It must allow `
        + 'events.amazonaws.com sqs:SendMessage (condition ArnLike aws:SourceArn: arn:<partition>:events:<region>:<account>:rule/<bus name>/*, '
        + 'and the bus ARN for a bus created by the hub), or undeliverable events are lost.');
    }
  }

  /**
   * One depth alarm (under `scope`) and one dashboard line per dead-letter queue, however many
   * routes and schedules share it. Returns the alarm when this call created one.
   */
  private watchDeadLetterQueue(scope: Construct, queue: sqs.IQueue, label: string): cloudwatch.Alarm | undefined {
    if (this.watchedQueues.has(queue)) {
      return undefined;
    }
    this.watchedQueues.add(queue);
    this.queuesWidget.addLeftMetric(queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, label }));
    return createDeadLetterQueueAlarm(scope, 'DeadLetterQueueAlarm', queue, this.monitoring, shortPath(scope, 120), this.alarmProps);
  }

  private ensureScheduleGroup(): scheduler.ScheduleGroup {
    if (!this.scheduleGroupResource) {
      // Not retained: a retained group keeps its (generated, fixed) name and would block a redeploy;
      // schedules hold no data.
      this.scheduleGroupResource = new scheduler.ScheduleGroup(this.schedulesScope, 'Group', { removalPolicy: RemovalPolicy.DESTROY });
      this.hubAlarms.push(...createScheduleAlarms(this.schedulesScope, this.scheduleGroupResource, this.monitoring,
        shortPath(this, 120), this.alarmProps));
      this.deadLettersWidget.addLeftMetric(this.scheduleGroupResource.metricSentToDLQ({ statistic: cloudwatch.Stats.SUM, label: 'schedules sent to DLQ' }));
      this.deadLettersWidget.addRightMetric(this.scheduleGroupResource.metricFailedToBeSentToDLQ(undefined, {
        statistic: cloudwatch.Stats.SUM, label: 'schedules failed to send',
      }));
    }
    return this.scheduleGroupResource;
  }

  private checkBroughtBus(bus: events.IEventBus): void {
    const cfn = bus instanceof events.EventBus ? bus.node.defaultChild : undefined;
    if (cfn instanceof events.CfnEventBus && cfn.deadLetterConfig !== undefined) {
      return;
    }
    Annotations.of(this).addWarningV2('cdk-bulwark:event-hub:bus-dead-letter-queue', cfn instanceof events.CfnEventBus
      ? `The event bus ${bus.node.path} has no dead-letter queue: events it cannot process (KMS errors) are lost. Give it deadLetterQueue `
        + '(the hub\'s deadLetterQueue, for example), then acknowledge this warning.'
      : `The event bus ${bus.node.path} was not created in this app, so its dead-letter queue cannot be checked. `
        + 'Make sure it has one, then acknowledge this warning.');
  }

  private warnForeignKey(key: kms.IKey): void {
    Annotations.of(this).addWarningV2('cdk-bulwark:event-hub:key-policy',
      `The key ${key.node.path} was not created in this app, so its key policy cannot be changed here. It must let events.amazonaws.com use `
      + 'kms:DescribeKey, kms:GenerateDataKey, kms:Decrypt and kms:ReEncrypt* (condition kms:EncryptionContext:aws:events:event-bus:arn: the bus ARN), '
      + 'or the bus and archive cannot encrypt at deploy time.');
  }

  private validateProps(props: EventHubProps): void {
    checkExclusive(this, { eventBus: props.eventBus, publisherAccountIds: props.publisherAccountIds });
    if (props.archiveEnabled === false && props.archiveRetention !== undefined) {
      throw new BulwarkError(this, 'archiveRetention applies to the archive; it cannot be given with archiveEnabled: false');
    }
    checkArchiveRetention(this, props.archiveRetention);
    checkAccountIds(this, 'publisherAccountIds', props.publisherAccountIds);
    checkStandardQueue(this, 'deadLetterQueue', props.deadLetterQueue);
    checkEventBridgeCanEncrypt(this, 'deadLetterQueue', props.deadLetterQueue);
    checkInteger(this, 'retryAttempts', props.retryAttempts, 0, EVENTS_LIMITS.maxRetryAttempts);
    checkDuration(this, 'maxEventAge', props.maxEventAge, EVENTS_LIMITS.minMaxEventAge, EVENTS_LIMITS.maxMaxEventAge);
    if (props.routes !== undefined && !Array.isArray(props.routes)) {
      throw BulwarkError.invalid(this, 'routes', props.routes, 'it must be a list of routes: [{ id, eventPattern, targets }]');
    }
  }

  /** Validates a route and returns its dead-letter queue choice. */
  private validateRoute(id: string, options: HubRouteOptions): { deadLetterQueue?: sqs.IQueue; separate: boolean } {
    this.checkId('route', id, this.routeMap);
    const prop = `route '${id}'`;
    if (options === undefined || options === null || typeof options !== 'object') {
      throw BulwarkError.invalid(this, prop, options, 'give its options: { eventPattern, targets }');
    }
    checkEventPattern(this, `${prop} eventPattern`, options.eventPattern);
    if (!Array.isArray(options.targets) || options.targets.length < 1 || options.targets.length > EVENTS_LIMITS.maxTargetsPerRule) {
      throw BulwarkError.invalid(this, `${prop} targets`, Array.isArray(options.targets) ? `${options.targets.length} targets` : options.targets,
        `a route takes 1 to ${EVENTS_LIMITS.maxTargetsPerRule} targets (EventBridge's limit per rule); add another route for more`);
    }
    options.targets.forEach((target, i) => this.checkTarget(`${prop} targets[${i}]`, target, 'route'));
    checkDescription(this, `${prop} description`, options.description);
    checkExclusive(this, {
      [`${prop} deadLetterQueue`]: options.deadLetterQueue,
      [`${prop} separateDeadLetterQueue`]: options.separateDeadLetterQueue || undefined,
    });
    checkStandardQueue(this, `${prop} deadLetterQueue`, options.deadLetterQueue);
    checkEventBridgeCanEncrypt(this, `${prop} deadLetterQueue`, options.deadLetterQueue);
    checkInteger(this, `${prop} retryAttempts`, options.retryAttempts, 0, EVENTS_LIMITS.maxRetryAttempts);
    checkDuration(this, `${prop} maxEventAge`, options.maxEventAge, EVENTS_LIMITS.minMaxEventAge, EVENTS_LIMITS.maxMaxEventAge);
    const busTargets = options.targets.filter((t) => t.kind === HubTargetKind.EVENT_BUS).length;
    if (busTargets > 0 && (options.retryAttempts !== undefined || options.maxEventAge !== undefined)) {
      if (busTargets === options.targets.length) {
        throw new BulwarkError(this, `${prop}: retryAttempts and maxEventAge do not apply to event bus targets (EventBridge takes no retry policy for them); leave them unset`);
      }
      Annotations.of(this).addWarningV2('cdk-bulwark:event-hub:bus-target-retry',
        `Route '${id}' sets retryAttempts or maxEventAge; they apply to its other targets, not to its event bus targets (EventBridge takes no retry policy for those).`);
    }
    return {
      deadLetterQueue: options.deadLetterQueue ?? (options.separateDeadLetterQueue ? undefined : this.deadLetterQueue),
      separate: options.separateDeadLetterQueue ?? false,
    };
  }

  private validateSchedule(id: string, options: HubScheduleOptions): void {
    this.checkId('schedule', id, this.scheduleMap);
    const prop = `schedule '${id}'`;
    if (options === undefined || options === null || typeof options !== 'object') {
      throw BulwarkError.invalid(this, prop, options, 'give its options: { schedule, target }');
    }
    const expression: unknown = (options.schedule as scheduler.ScheduleExpression | undefined)?.expressionString;
    if (typeof expression !== 'string') {
      throw BulwarkError.invalid(this, `${prop} schedule`, options.schedule,
        'give a scheduler.ScheduleExpression: .rate(Duration), .cron({...}), .at(Date) or .expression(\'rate(5 minutes)\')');
    }
    const problem = scheduleExpressionProblem(expression);
    if (problem) {
      throw BulwarkError.invalid(this, `${prop} schedule`, expression, problem);
    }
    this.checkTarget(`${prop} target`, options.target, 'schedule');
    checkDescription(this, `${prop} description`, options.description);
    const window = options.timeWindow?.maxWindow;
    checkDuration(this, `${prop} timeWindow`, window, EVENTS_LIMITS.minTimeWindow, EVENTS_LIMITS.maxTimeWindow);
    checkStandardQueue(this, `${prop} deadLetterQueue`, options.deadLetterQueue);
    checkInteger(this, `${prop} retryAttempts`, options.retryAttempts, 0, EVENTS_LIMITS.maxRetryAttempts);
    checkDuration(this, `${prop} maxEventAge`, options.maxEventAge, EVENTS_LIMITS.minMaxEventAge, EVENTS_LIMITS.maxMaxEventAge);
  }

  private checkId(kind: string, id: string, taken: Map<string, unknown>): void {
    if (typeof id !== 'string' || id.trim() === '' || id.includes('/')) {
      throw BulwarkError.invalid(this, `${kind} id`, id, 'it must be a non-empty string without \'/\' (it becomes a construct id)');
    }
    if (taken.has(id)) {
      throw BulwarkError.invalid(this, `${kind} id`, id, `the hub already has a ${kind} with this id; ${kind} ids must be unique in the hub`);
    }
  }

  private checkTarget(prop: string, target: HubTarget, use: 'route' | 'schedule'): void {
    if (!(target instanceof HubTarget)) {
      const given: unknown = target;
      throw BulwarkError.invalid(this, prop, given instanceof Construct ? given.node.path : given,
        'give a HubTarget: HubTarget.lambdaFunction(fn), .queue(queue), .stateMachine(machine), .topic(topic) or .eventBus(bus)');
    }
    const resource = target._resource;
    if (resource === undefined || resource === null) {
      throw BulwarkError.invalid(this, prop, resource, `HubTarget.${targetFactory(target.kind)}() needs the resource to deliver to`);
    }
    if (!Construct.isConstruct(resource)) {
      throw BulwarkError.invalid(this, prop, resource, `HubTarget.${targetFactory(target.kind)}() needs a construct to deliver to, not a plain object`);
    }
    const path = resource.node.path;
    switch (target.kind) {
      case HubTargetKind.QUEUE: {
        const queue = resource as sqs.IQueue;
        const group = target._messageGroupId;
        if (queue.fifo && group === undefined) {
          throw BulwarkError.invalid(this, prop, path, 'it is a FIFO queue; give HubTarget.queue(queue, { messageGroupId }) with a fixed id');
        }
        if (!queue.fifo && group !== undefined) {
          throw BulwarkError.invalid(this, `${prop} messageGroupId`, group, `the queue ${path} is a standard queue; messageGroupId applies only to FIFO queues`);
        }
        const max = use === 'route' ? EVENTS_LIMITS.maxRuleMessageGroupIdLength : EVENTS_LIMITS.maxScheduleMessageGroupIdLength;
        if (group !== undefined && !Token.isUnresolved(group) && (group.length < 1 || group.length > max)) {
          throw BulwarkError.invalid(this, `${prop} messageGroupId`, group, `it must have 1 to ${max} characters`);
        }
        if (group !== undefined && Token.isUnresolved(group)) {
          // EventBridge sends MessageGroupId as given: a path such as events.EventField.fromPath() would become the literal group '$.detail...'.
          throw BulwarkError.invalid(this, `${prop} messageGroupId`, Stack.of(this).resolve(group), use === 'route'
            ? 'EventBridge rules send the message group id as given and cannot read it from the event (a path would become one literal group for '
              + 'every event); give a fixed id, or route to a function that sends each message with its own group'
            : 'a schedule has no event to read a path from; give a fixed id');
        }
        if (queue.fifo) {
          this.checkFifoDeduplication(prop, queue, use);
        }
        if (use === 'route') {
          // Scheduler sends with the schedule's role, which an AWS managed key admits through SQS.
          checkEventBridgeCanEncrypt(this, prop, queue);
        }
        break;
      }
      case HubTargetKind.TOPIC:
        if ((resource as sns.ITopic).fifo) {
          throw BulwarkError.invalid(this, prop, path, `it is a FIFO topic; EventBridge ${use === 'route' ? 'rules' : 'Scheduler'} cannot set the message group it needs. `
            + 'Target a standard topic, or a FIFO queue with a messageGroupId');
        }
        if (use === 'route' && isAwsManagedKey((resource as sns.ITopic).masterKey, AWS_MANAGED_SNS_KEY)) {
          throw BulwarkError.invalid(this, prop, path, `it is encrypted with the AWS managed key ${AWS_MANAGED_SNS_KEY}, whose key policy cannot let `
            + 'EventBridge (events.amazonaws.com) use it, so every delivery would fail; encrypt the topic with a customer-managed key');
        }
        break;
      case HubTargetKind.EVENT_BUS:
        if (use === 'schedule') {
          throw BulwarkError.invalid(this, prop, path, 'a schedule cannot target an event bus; target a function that puts the event, or route from the bus instead');
        }
        if (resource === this.eventBus || resource.node.path === this.eventBus.node.path) {
          throw BulwarkError.invalid(this, prop, path, 'it is the hub\'s own bus: the route would deliver its events back to itself in a loop');
        }
        break;
      default:
        break;
    }
  }

  /**
   * EventBridge and Scheduler send no deduplication id, so a FIFO target queue must deduplicate by
   * content (EventBridge Target and Scheduler SqsParameters). Checked for queues created in this app;
   * for others, a warning.
   */
  private checkFifoDeduplication(prop: string, queue: sqs.IQueue, use: 'route' | 'schedule'): void {
    const sender = use === 'route' ? 'EventBridge rules' : 'EventBridge Scheduler';
    const cfn = queue instanceof sqs.Queue ? queue.node.defaultChild : undefined;
    if (cfn instanceof sqs.CfnQueue) {
      const dedup = cfn.contentBasedDeduplication;
      if (dedup !== true && !Token.isUnresolved(dedup)) {
        throw BulwarkError.invalid(this, prop, queue.node.path, `it is a FIFO queue without content-based deduplication; ${sender} send no `
          + 'deduplication id, so a FIFO target queue must have contentBasedDeduplication: true');
      }
      return;
    }
    Annotations.of(this).addWarningV2('cdk-bulwark:event-hub:fifo-deduplication',
      `The FIFO queue ${queue.node.path} was not created in this app, so its settings cannot be checked. ${sender} send no deduplication id: `
      + 'it must have content-based deduplication enabled, or deliveries fail. Make sure it has, then acknowledge this warning.');
  }
}

/** The factory that makes a target of this kind, for error messages. */
function targetFactory(kind: HubTargetKind): string {
  switch (kind) {
    case HubTargetKind.LAMBDA_FUNCTION: return 'lambdaFunction';
    case HubTargetKind.QUEUE: return 'queue';
    case HubTargetKind.STATE_MACHINE: return 'stateMachine';
    case HubTargetKind.TOPIC: return 'topic';
    case HubTargetKind.EVENT_BUS: return 'eventBus';
  }
}

/** The name of a brought bus: the literal name of a bus created in this app, else its `eventBusName`. */
function broughtBusName(bus: events.IEventBus): string {
  const cfn = bus.node.defaultChild;
  return cfn instanceof events.CfnEventBus && typeof cfn.name === 'string' && !Token.isUnresolved(cfn.name) ? cfn.name : bus.eventBusName;
}

/** Whole days, at least one (EventBridge's RetentionDays is an integer, and 0 means "forever"). */
function checkArchiveRetention(scope: Construct, retention: Duration | undefined): void {
  if (retention === undefined) {
    return;
  }
  if (!(retention instanceof Duration)) {
    throw BulwarkError.invalid(scope, 'archiveRetention', retention, 'it must be a Duration, e.g. Duration.days(30)');
  }
  if (retention.isUnresolved()) {
    return;
  }
  const days = retention.toDays({ integral: false });
  if (!Number.isInteger(days) || days < EVENTS_LIMITS.minArchiveRetention.toDays() || days > EVENTS_LIMITS.maxArchiveRetentionDays) {
    throw BulwarkError.invalid(scope, 'archiveRetention', retention,
      `EventBridge keeps archived events for a whole number of days; give Duration.days(n) with n from ${EVENTS_LIMITS.minArchiveRetention.toDays()} `
      + `to ${EVENTS_LIMITS.maxArchiveRetentionDays} (0, "forever", is not offered)`);
  }
}

/** EventBridge and Scheduler send dead letters only to standard queues. */
function checkStandardQueue(scope: Construct, prop: string, queue: sqs.IQueue | undefined): void {
  if (queue !== undefined && !isQueue(queue)) {
    const given: unknown = queue;
    throw BulwarkError.invalid(scope, prop, Construct.isConstruct(given) ? given.node.path : given,
      'it must be an SQS queue (sqs.IQueue): a queue of this app, or one from sqs.Queue.fromQueueArn()');
  }
  if (queue?.fifo === true) {
    throw BulwarkError.invalid(scope, prop, queue.node.path, 'it is a FIFO queue; EventBridge and Scheduler send dead letters only to standard queues');
  }
}

/** Whether the value is an SQS queue construct (checked by shape: JavaScript and jsii callers can pass anything). */
function isQueue(value: unknown): value is sqs.IQueue {
  return Construct.isConstruct(value) && typeof (value as Partial<sqs.IQueue>).queueArn === 'string'
    && typeof (value as Partial<sqs.IQueue>).queueUrl === 'string';
}

const AWS_MANAGED_SQS_KEY = 'alias/aws/sqs';
const AWS_MANAGED_SNS_KEY = 'alias/aws/sns';

/** Whether the key is the AWS managed key `alias` (an alias of that name, or a key ARN ending in it). */
function isAwsManagedKey(key: kms.IKey | undefined, alias: string): boolean {
  if (key === undefined || key === null) {
    return false;
  }
  const aliasName: unknown = (key as Partial<kms.IAlias>).aliasName;
  if (typeof aliasName === 'string' && !Token.isUnresolved(aliasName)) {
    return aliasName === alias;
  }
  const arn: unknown = key.keyArn;
  return typeof arn === 'string' && !Token.isUnresolved(arn) && arn.endsWith(`:${alias}`);
}

/**
 * EventBridge itself writes to route target queues and to dead-letter queues of rules and the bus, so
 * it must be able to use the queue's key: the AWS managed key's policy cannot admit events.amazonaws.com.
 */
function checkEventBridgeCanEncrypt(scope: Construct, prop: string, queue: sqs.IQueue | undefined): void {
  if (queue === undefined) {
    return;
  }
  if (queue.encryptionType === sqs.QueueEncryption.KMS_MANAGED || isAwsManagedKey(queue.encryptionMasterKey, AWS_MANAGED_SQS_KEY)) {
    throw BulwarkError.invalid(scope, prop, queue.node.path, `it is encrypted with the AWS managed key ${AWS_MANAGED_SQS_KEY}, whose key policy cannot let `
      + 'EventBridge (events.amazonaws.com) use it, so every delivery would fail; use SQS-managed encryption or a customer-managed key');
  }
}

function checkDescription(scope: Construct, prop: string, description: string | undefined): void {
  if (description !== undefined && !Token.isUnresolved(description) && description.length > EVENTS_LIMITS.maxDescriptionLength) {
    throw BulwarkError.invalid(scope, prop, `${description.slice(0, 40)}...`,
      `it has ${description.length} characters; EventBridge allows at most ${EVENTS_LIMITS.maxDescriptionLength}`);
  }
}

/** What a route needs from its hub. */
interface HubRouteInternals {
  readonly options: HubRouteOptions;
  readonly eventBus: events.IEventBus;
  /** The queue to use, or undefined to create one of the route's own. */
  readonly deadLetterQueue?: sqs.IQueue;
  readonly separateDeadLetterQueue: boolean;
  readonly createDeadLetterQueue: (scope: Construct) => sqs.IQueue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
  readonly managedRoles: boolean;
  readonly hubPath: string;
  /** `aws:SourceArn` of every rule on the hub's bus. */
  readonly ruleSourceArn: string;
}

/** A route: one rule, its targets' role when they need one, its dead-letter queue when separate. Created by EventHub only. */
class HubRoute extends Construct implements IHubRoute {
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
    this.deadLetterQueue = props.separateDeadLetterQueue ? props.createDeadLetterQueue(this) : props.deadLetterQueue!;

    const needsRole = options.targets.some((t) => t.kind === HubTargetKind.STATE_MACHINE || t.kind === HubTargetKind.EVENT_BUS);
    if (needsRole) {
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
    const delivery = { retryAttempts: props.retryAttempts, maxEventAge: props.maxEventAge };
    for (const target of options.targets) {
      this.rule.addTarget(new HubDeadLetterTarget(ruleTarget(this, target, delivery, this.role, props.ruleSourceArn), this.deadLetterQueue));
    }
    if (this.role) {
      // The role's policy must exist before EventBridge first delivers.
      this.rule.node.addDependency(this.role);
    }
    // A rule on a custom bus is referenced (Ref, `ruleName`) as `busname|rulename`, but CloudWatch
    // reports its metrics with the dimensions EventBusName and RuleName, the rule's name alone.
    this.metricRuleName = isDefaultBus(this.eventBusName) ? this.rule.ruleName : Fn.select(1, Fn.split('|', this.rule.ruleName));
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
 * The rule target for a HubTarget, with the route's retry policy. The dead-letter queue is set by
 * `HubDeadLetterTarget`: CDK's targets would add a queue policy statement per rule.
 */
function ruleTarget(scope: Construct, target: HubTarget, delivery: targets.TargetBaseProps, role: iam.IRole | undefined,
  ruleSourceArn: string): events.IRuleTarget {
  const resource = target._resource;
  switch (target.kind) {
    case HubTargetKind.LAMBDA_FUNCTION:
      return new targets.LambdaFunction(resource as lambda.IFunction, delivery);
    case HubTargetKind.QUEUE:
    case HubTargetKind.TOPIC:
      return new PolicyScopedRuleTarget(scope, target, delivery, ruleSourceArn);
    case HubTargetKind.STATE_MACHINE:
      return new targets.SfnStateMachine(resource as sfn.IStateMachine, { ...delivery, role });
    case HubTargetKind.EVENT_BUS:
      // EventBridge takes no retry policy for bus targets; the dead-letter queue applies.
      return new targets.EventBus(resource as events.IEventBus, { role });
  }
}

/** A target with the route's dead-letter queue, whose policy the hub grants once for all its rules. */
class HubDeadLetterTarget implements events.IRuleTarget {
  constructor(private readonly inner: events.IRuleTarget, private readonly deadLetterQueue: sqs.IQueue) {}

  public bind(rule: events.IRuleRef, id?: string): events.RuleTargetConfig {
    return { ...this.inner.bind(rule, id), deadLetterConfig: { arn: this.deadLetterQueue.queueArn } };
  }
}

/**
 * A queue or topic target whose resource policy lets exactly this rule send (`aws:SourceArn`), and
 * whose key, if any, lets EventBridge encrypt. CDK's own SqsQueue target drops the rule condition
 * for KMS-encrypted queues (and its SnsTopic target never has one), which would let rules of any
 * account deliver.
 */
class PolicyScopedRuleTarget implements events.IRuleTarget {
  constructor(private readonly scope: Construct, private readonly target: HubTarget, private readonly delivery: targets.TargetBaseProps,
    private readonly ruleSourceArn: string) {}

  public bind(rule: events.IRuleRef, _id?: string): events.RuleTargetConfig {
    const queue = this.target.kind === HubTargetKind.QUEUE ? this.target._resource as sqs.IQueue : undefined;
    const topic = this.target.kind === HubTargetKind.TOPIC ? this.target._resource as sns.ITopic : undefined;
    const resource: iam.IResourceWithPolicy = (queue ?? topic)!;
    const arn = queue ? queue.queueArn : topic!.topicArn;
    const ruleNode = (rule as unknown as Construct).node;
    // Exactly this rule; for a resource in another stack, any rule on the hub's bus by its literal name
    // (the rule's ARN would make that stack refer to this one, and this one refers to the resource: a cycle).
    const sameStack = Stack.of(resource) === Stack.of(this.scope);
    const { statementAdded } = resource.addToResourcePolicy(new iam.PolicyStatement({
      sid: `EventHubRule${Names.nodeUniqueId(ruleNode)}`.slice(0, 100),
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: [queue ? 'sqs:SendMessage' : 'sns:Publish'],
      resources: [arn],
      conditions: sameStack
        ? { ArnEquals: { 'aws:SourceArn': events.CfnRule.arnForRule(rule) } }
        : { ArnLike: { 'aws:SourceArn': this.ruleSourceArn } },
    }));
    if (!statementAdded) {
      Annotations.of(this.scope).addWarningV2('cdk-bulwark:event-hub:target-policy',
        `The ${queue ? 'queue' : 'topic'} ${resource.node.path} was not created in this app, so its policy cannot be changed here. It must allow `
        + `events.amazonaws.com ${queue ? 'sqs:SendMessage' : 'sns:Publish'} (condition aws:SourceArn: the rule ${ruleNode.path}), or deliveries fail.`);
    }
    const key = queue ? queue.encryptionMasterKey : topic!.masterKey;
    if (key) {
      allowKeyUser(this.scope, key, KeyUser.EVENTBRIDGE);
    }
    const group = this.target._messageGroupId;
    return {
      ...targets.bindBaseTargetConfig(this.delivery),
      arn,
      targetResource: resource,
      sqsParameters: group === undefined ? undefined : { messageGroupId: group },
    };
  }
}

/** What a schedule needs from its hub. */
interface HubScheduleInternals {
  readonly options: HubScheduleOptions;
  readonly group: scheduler.IScheduleGroup;
  readonly deadLetterQueue: sqs.IQueue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
  readonly managedRole: boolean;
  readonly key?: kms.IKey;
  readonly hubPath: string;
}

/** A schedule with its own role, allowed to invoke its one target and write its dead letters. Created by EventHub only. */
class HubSchedule extends Construct implements IHubSchedule {
  public readonly schedule: scheduler.Schedule;
  public readonly role: iam.IRole;
  public readonly deadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: HubScheduleInternals) {
    super(scope, id);
    const { options } = props;
    this.deadLetterQueue = props.deadLetterQueue;
    // Only Scheduler of this account may assume it (confused-deputy protection, as AWS documents).
    const principal = new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    });
    const role = serviceRole(this, 'Role', principal, props.managedRole, `Lets EventBridge Scheduler run schedule ${id} of ${props.hubPath}`);
    this.role = role;
    grantScheduleTarget(this, role, options.target);
    // Scheduler writes dead letters with the schedule's role.
    grantSendToQueue(this, role, this.deadLetterQueue);

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      schedule: options.schedule,
      target: new HubScheduleTarget(options.target, role, {
        input: options.input,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: props.retryAttempts,
        maxEventAge: props.maxEventAge,
      }),
      scheduleGroup: props.group,
      description: options.description,
      enabled: options.enabled ?? true,
      timeWindow: options.timeWindow ?? scheduler.TimeWindow.off(),
      key: props.key,
    });
    // The role's policies must exist before Scheduler first assumes it, and the group before its
    // schedules: the schedule names the group by its literal name, which CloudFormation cannot order by.
    this.schedule.node.addDependency(role, props.group);
  }
}

/** The delivery settings of a schedule target. */
interface ScheduleDelivery {
  readonly input?: scheduler.ScheduleTargetInput;
  readonly deadLetterQueue: sqs.IQueue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/** A schedule target whose role the hub has already granted exactly what it needs. */
class HubScheduleTarget implements scheduler.IScheduleTarget {
  constructor(private readonly target: HubTarget, private readonly role: iam.IRole, private readonly delivery: ScheduleDelivery) {}

  public bind(_schedule: scheduler.ISchedule): scheduler.ScheduleTargetConfig {
    const group = this.target._messageGroupId;
    return {
      arn: targetArn(this.target),
      role: this.role,
      input: this.delivery.input,
      deadLetterConfig: { arn: this.delivery.deadLetterQueue.queueArn },
      retryPolicy: {
        maximumRetryAttempts: this.delivery.retryAttempts,
        maximumEventAgeInSeconds: this.delivery.maxEventAge.toSeconds(),
      },
      sqsParameters: group === undefined ? undefined : { messageGroupId: group },
    };
  }
}

function targetArn(target: HubTarget): string {
  const resource = target._resource;
  switch (target.kind) {
    case HubTargetKind.LAMBDA_FUNCTION: return (resource as lambda.IFunction).functionArn;
    case HubTargetKind.QUEUE: return (resource as sqs.IQueue).queueArn;
    case HubTargetKind.STATE_MACHINE: return (resource as sfn.IStateMachine).stateMachineArn;
    case HubTargetKind.TOPIC: return (resource as sns.ITopic).topicArn;
    case HubTargetKind.EVENT_BUS: return (resource as events.IEventBus).eventBusArn;
  }
}

/** Exactly the action that invokes the target, on exactly the target (and its key, through its service only). */
function grantScheduleTarget(scope: Construct, role: iam.IRole, target: HubTarget): void {
  const resource = target._resource;
  switch (target.kind) {
    case HubTargetKind.LAMBDA_FUNCTION:
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [targetArn(target)] }));
      break;
    case HubTargetKind.QUEUE:
      grantSendToQueue(scope, role, resource as sqs.IQueue);
      break;
    case HubTargetKind.STATE_MACHINE:
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [targetArn(target)] }));
      break;
    case HubTargetKind.TOPIC: {
      const topic = resource as sns.ITopic;
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
      if (topic.masterKey) {
        role.addToPrincipalPolicy(new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [topic.masterKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `sns.${Stack.of(scope).region}.amazonaws.com` } },
        }));
      }
      break;
    }
    default:
      break;
  }
}

/** sqs:SendMessage on the queue and, for an SSE-KMS queue, its key through SQS for this queue only. */
function grantSendToQueue(scope: Construct, role: iam.IRole, queue: sqs.IQueue): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  const key = queue.encryptionMasterKey;
  if (key) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [key.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': `sqs.${Stack.of(scope).region}.amazonaws.com`,
          'kms:EncryptionContext:aws:sqs:arn': queue.queueArn,
        },
      },
    }));
  }
}
