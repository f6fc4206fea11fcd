import { Aws, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { MonitoringAlarmsProps } from './monitoring-alarms';
import { MONITORING_ALARMS } from './monitoring-monitoring';
import { checkEmailAddress, validateMonitoringProps } from './monitoring-validation';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { AlarmSet, AlarmSpec } from '../private/alarm-set';
import { ConstructContext } from '../private/context';
import { createDeadLetterQueue, deadLetterDepth, DeadLetterWriter } from '../private/dead-letter-queue';
import { ALARM_DESCRIPTION_MAX } from '../private/defaults/alarms';
import { allowKeyUser, failurePathKey, KeyUser } from '../private/stack-key';
import { warn, WARNINGS } from '../private/warnings';

/**
 * Where a construct sends its alarms and dashboard widgets. `Monitoring` implements it; implement
 * it yourself to route alarms elsewhere.
 */
export interface IMonitoring extends IConstruct {
  /** The topic every registered alarm notifies. */
  readonly alarmTopic: sns.ITopic;

  /** Every alarm registered so far. */
  readonly alarms: cloudwatch.IAlarm[];

  /**
   * Sends the alarm's state changes to the alarm topic.
   *
   * @param alarm a metric or composite alarm
   */
  addAlarm(alarm: cloudwatch.AlarmBase): void;

  /**
   * Adds a titled section of widgets to the dashboard, if there is one.
   *
   * @param title the section heading
   * @param widgets the widgets, laid out left to right
   */
  addSection(title: string, ...widgets: cloudwatch.IWidget[]): void;
}

/**
 * Properties of `Monitoring`.
 */
export interface MonitoringProps {
  /**
   * A topic of your own for alarm notifications. Its key policy (if encrypted) and topic policy
   * must let `cloudwatch.amazonaws.com` publish; its subscriptions are yours to manage. Do not
   * encrypt it with a key that the resources it reports on use: a disabled key would silence the
   * alarms about its own failure.
   *
   * @default - an SNS topic encrypted with the stack's failure-path key, TLS-only, that CloudWatch may publish to
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The key that encrypts the created alarm topic and, in REGULATED, its subscription dead-letter
   * queue. Its policy must let CloudWatch use it: a key created in this app gets that statement.
   * Giving the stack key (or any key your resources use) makes the alarms depend on the key whose
   * failure they may have to report.
   *
   * @default - the stack's failure-path key: a customer-managed key ($1/month, with rotation) that
   * encrypts only the paths that report failures, never the stack key
   */
  readonly key?: kms.IKey;

  /**
   * Email addresses to notify of every alarm. Each subscription gets a dead-letter queue.
   * Add more later with `addEmailSubscription()`.
   *
   * @default - none: synthesis then warns `cdk-bulwark:monitoring:no-subscribers`
   */
  readonly emailAddresses?: string[];

  /**
   * Whether to create a CloudWatch dashboard. Three dashboards per account are free, each further
   * one costs $3 a month.
   *
   * @default true
   */
  readonly dashboardEnabled?: boolean;

  /**
   * The stack-level alarms: on the subscription dead-letter queue and on the stack's async-failure
   * queue (created by the first SecureFunction). Tune them, or `enabled: false` to skip one.
   *
   * @default - each: messages visible > 0 in one 1-minute period
   */
  readonly alarms?: MonitoringAlarmsProps;

  /**
   * The compliance profile of the resources Monitoring creates.
   *
   * @default - the scope's default profile (`CompliancePolicy.setDefaultProfile`), else STANDARD
   */
  readonly complianceProfile?: ComplianceProfile;
}

/**
 * One alarm topic and one dashboard per stack: every cdk-bulwark construct sends its alarms to the
 * topic and adds a section to the dashboard.
 *
 * Constructs find the stack's instance with `Monitoring.of(scope)`, which creates one with the
 * defaults on first use; create it yourself first (or pass it as the `monitoring` prop) to choose
 * its settings.
 *
 * Defaults: the topic is encrypted with a customer-managed key whose policy lets CloudWatch use it
 * (alarms cannot publish to a topic encrypted with `alias/aws/sns`) — the stack's failure-path key,
 * not the stack key, so that a disabled stack key cannot silence the alarms about it — its policy denies non-TLS
 * requests and lets only this account's CloudWatch alarms publish, and each subscription gets a
 * dead-letter queue that is itself alarmed.
 */
export class Monitoring extends Construct implements IMonitoring {
  /**
   * The stack's Monitoring: the first one created in the stack, or a new one with the defaults
   * (construct id `BulwarkMonitoring` under the stack).
   *
   * @param scope any construct in the stack
   */
  public static of(scope: IConstruct): Monitoring {
    const stack = Stack.of(scope);
    return STACK_MONITORING.get(stack) ?? new Monitoring(stack, DEFAULT_ID);
  }

  /** The topic every alarm notifies. */
  public readonly alarmTopic: sns.ITopic;

  /** The dashboard, unless `dashboardEnabled` is false. */
  public readonly dashboard?: cloudwatch.Dashboard;

  private subscriptionDlqResource?: sqs.IQueue;

  /** The stack-level alarm settings, as given. */
  public readonly alarmOptions: MonitoringAlarmsProps;

  private readonly registeredAlarms: cloudwatch.IAlarm[] = [];
  private readonly context: ConstructContext;
  private readonly key?: kms.IKey;
  private readonly createdTopic?: sns.Topic;
  /** The stack-level alarms (the async-failure queue's is made by the first SecureFunction that uses this Monitoring). */
  private readonly alarmSet: AlarmSet;
  private asyncFailureQueueWatched = false;
  private backupFailuresWatched = false;
  private subscriptionCount = 0;

  constructor(scope: Construct, id: string, props: MonitoringProps = {}) {
    super(scope, id);
    validateMonitoringProps(this, props);
    this.context = new ConstructContext(this, { complianceProfile: props.complianceProfile }, () => this);
    this.alarmSet = this.context.alarms(Object.values(MONITORING_ALARMS), props.alarms, 'MonitoringAlarmsProps');
    if (props.alarmTopic) {
      this.alarmSet.refuse(MONITORING_ALARMS.subscriptionDeadLetterQueue, 'with alarmTopic the subscriptions are yours, so no subscription '
        + 'dead-letter queue is created here; alarm the dead-letter queues of your own subscriptions');
    }
    const stack = Stack.of(this);
    const existing = STACK_MONITORING.get(stack);
    if (existing?.node.id === DEFAULT_ID && existing.node.scope === stack) {
      // Alarms already went to the default Monitoring; this one would silently get none of them.
      throw new BulwarkError(this, 'the stack already has the default Monitoring, created by an earlier cdk-bulwark construct; '
        + 'create yours before any other cdk-bulwark construct in the stack, or pass it to each of them as monitoring');
    }
    if (!existing) {
      STACK_MONITORING.set(stack, this);
    }
    this.alarmOptions = props.alarms ?? {};
    this.node.addValidation({ validate: () => this.checkStackQueueAlarmOptions() });

    if (props.alarmTopic) {
      this.alarmTopic = props.alarmTopic;
    } else {
      // Not the stack key: alarms must still arrive when the stack key is disabled (DESIGN.md,
      // "Failure paths survive the failure they report").
      this.key = props.key ?? failurePathKey(this);
      allowKeyUser(this, this.key, KeyUser.CLOUDWATCH_ALARMS);
      this.createdTopic = new sns.Topic(this, 'AlarmTopic', {
        masterKey: this.key,
        enforceSSL: true,
        displayName: 'cdk-bulwark alarms',
      });
      // Only CloudWatch alarms of this account may publish (the topic policy replaces SNS's default one).
      this.createdTopic.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.createdTopic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }));
      this.alarmTopic = this.createdTopic;
      this.node.addValidation({ validate: () => this.warnWithoutSubscribers() });
    }

    if (props.dashboardEnabled ?? true) {
      this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard');
    }
    for (const address of props.emailAddresses ?? []) {
      this.addEmailSubscription(address);
    }
  }

  /** The dead-letter queue of the alarm topic's subscriptions, once the first one is added. */
  public get subscriptionDeadLetterQueue(): sqs.IQueue | undefined {
    return this.subscriptionDlqResource;
  }

  /** Every alarm registered with this Monitoring. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.registeredAlarms];
  }

  /**
   * Sends the alarm's ALARM and OK state changes to the alarm topic.
   *
   * @param alarm a metric or composite alarm
   */
  public addAlarm(alarm: cloudwatch.AlarmBase): void {
    const cfn = alarm.node.defaultChild;
    const description = cfn instanceof cloudwatch.CfnAlarm || cfn instanceof cloudwatch.CfnCompositeAlarm ? cfn.alarmDescription : undefined;
    if (description !== undefined && !Token.isUnresolved(description) && description.length > ALARM_DESCRIPTION_MAX) {
      // Reported on this construct: CDK's classes are bundled, so the alarm's constructor name is not `Alarm`.
      throw new BulwarkError(this, `the description of alarm ${alarm.node.path} is ${description.length} characters; CloudWatch allows at most ${ALARM_DESCRIPTION_MAX}`);
    }
    const action = new cloudwatchActions.SnsAction(this.alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.registeredAlarms.push(alarm);
  }

  /**
   * Adds a titled section to the dashboard (nothing happens when the dashboard is disabled).
   *
   * @param title the section heading
   * @param widgets the widgets, laid out left to right
   */
  public addSection(title: string, ...widgets: cloudwatch.IWidget[]): void {
    if (!this.dashboard) {
      return;
    }
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## ${title}`, width: 24, height: 1 }));
    this.dashboard.addWidgets(...widgets);
  }

  /**
   * Emails every alarm to `address` (the recipient must confirm the subscription). Failed
   * deliveries go to the subscription dead-letter queue.
   *
   * @param address an email address
   */
  public addEmailSubscription(address: string): void {
    if (!this.createdTopic) {
      throw new BulwarkError(this, 'addEmailSubscription() subscribes to the created alarm topic; subscribe to your own alarmTopic directly');
    }
    checkEmailAddress(this, address);
    this.createdTopic.addSubscription(new subscriptions.EmailSubscription(address, {
      deadLetterQueue: this.subscriptionDlq(),
    }));
    this.subscriptionCount++;
  }

  /**
   * Alarms the stack's async-failure queue with this Monitoring's `alarms.asyncFailureQueue`.
   * Called once, by the SecureFunction that creates the queue.
   *
   * @internal
   */
  public _watchAsyncFailureQueue(queue: sqs.IQueue): cloudwatch.IAlarm | undefined {
    this.asyncFailureQueueWatched = true;
    return this.alarmSet.add(MONITORING_ALARMS.asyncFailureQueue, deadLetterDepth(queue), { scope: queue, where: '' });
  }

  /**
   * Alarms the stack's backup failures with this Monitoring's `alarms.backupFailures` and
   * `alarms.undeliveredBackupFailures`. Called once, by the construct that creates the backup plan.
   *
   * @internal
   */
  public _watchBackupFailures(failures: sqs.IQueue, undelivered: sqs.IQueue): void {
    this.backupFailuresWatched = true;
    this.alarmSet.add(MONITORING_ALARMS.backupFailures, deadLetterDepth(failures), { scope: failures, where: '' });
    this.alarmSet.add(MONITORING_ALARMS.undeliveredBackupFailures, deadLetterDepth(undelivered), { scope: undelivered, where: '' });
  }

  private subscriptionDlq(): sqs.IQueue {
    if (!this.subscriptionDlqResource) {
      const queue = createDeadLetterQueue(this, 'SubscriptionDeadLetterQueue', {
        writers: [DeadLetterWriter.SNS],
        key: this.context.traits.customerManagedKeys ? this.key : undefined,
      });
      this.alarmSet.add(MONITORING_ALARMS.subscriptionDeadLetterQueue, deadLetterDepth(queue), { where: '' });
      this.subscriptionDlqResource = queue;
    }
    return this.subscriptionDlqResource;
  }

  /**
   * `alarms.asyncFailureQueue` takes effect only where the async-failure queue is alarmed by this
   * Monitoring, and the backup-failure alarms where the stack's backup plan is.
   */
  private checkStackQueueAlarmOptions(): string[] {
    const refusals: Array<[boolean, AlarmSpec, string]> = [
      [this.asyncFailureQueueWatched, MONITORING_ALARMS.asyncFailureQueue, 'no SecureFunction of this stack sends its failed asynchronous events '
        + 'to the stack\'s async-failure queue with this Monitoring (the first SecureFunction that creates the queue alarms it with its own monitoring)'],
      ...[MONITORING_ALARMS.backupFailures, MONITORING_ALARMS.undeliveredBackupFailures].map((spec): [boolean, AlarmSpec, string] =>
        [this.backupFailuresWatched, spec, 'nothing of this stack is backed up with this Monitoring (the first construct that creates the stack\'s '
          + 'backup plan alarms its failures with its own monitoring)']),
    ];
    const errors: string[] = [];
    for (const [watched, spec, reason] of refusals) {
      if (!watched) {
        try {
          this.alarmSet.refuse(spec, reason);
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
    }
    return errors;
  }

  private warnWithoutSubscribers(): string[] {
    if (this.subscriptionCount === 0) {
      warn(this, WARNINGS.noSubscribers);
    }
    return [];
  }
}

const STACK_MONITORING = new WeakMap<Stack, Monitoring>();
/** The construct id of the Monitoring that `Monitoring.of()` creates. Construct ids are API. */
const DEFAULT_ID = 'BulwarkMonitoring';
