import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';

/** What an `HubTarget` delivers to. */
export enum HubTargetKind {
  /** A Lambda function, invoked asynchronously. */
  LAMBDA_FUNCTION = 'LAMBDA_FUNCTION',
  /** An SQS queue (standard, or FIFO with a message group id). */
  QUEUE = 'QUEUE',
  /** A Step Functions state machine: each event starts an execution. */
  STATE_MACHINE = 'STATE_MACHINE',
  /** A standard SNS topic. */
  TOPIC = 'TOPIC',
  /** Another EventBridge event bus (routes only). */
  EVENT_BUS = 'EVENT_BUS',
}

/** Options of `HubTarget.queue()`. */
export interface HubQueueTargetOptions {
  /**
   * The message group of every message sent to a FIFO queue: a fixed id. EventBridge cannot read it
   * from the event, so a path such as `events.EventField.fromPath()` is rejected. Required for FIFO
   * queues, not allowed for standard queues.
   *
   * @default - none (standard queues)
   */
  readonly messageGroupId?: string;
}

/**
 * Where an `EventHub` route or schedule delivers: one of a Lambda function, an SQS queue, a Step
 * Functions state machine, an SNS topic or another event bus.
 *
 * Every target gets the hub's dead-letter queue and retry policy. A dead-letter queue catches events
 * EventBridge could not *deliver*; failures inside a Lambda target are handled by the function's
 * own asynchronous retries and dead-letter queue (a `SecureFunction` has both).
 */
export class HubTarget {
  /**
   * Invokes a Lambda function asynchronously with the event.
   *
   * @param fn the function (a `SecureFunction`'s `lambdaFunction`, or your own)
   */
  public static lambdaFunction(fn: lambda.IFunction): HubTarget {
    return new HubTarget(HubTargetKind.LAMBDA_FUNCTION, fn);
  }

  /**
   * Sends the event to an SQS queue (a QueueWorker's `queue`, for example). A FIFO queue needs
   * `messageGroupId` and content-based deduplication (EventBridge and Scheduler send no deduplication id).
   *
   * @param queue the queue
   * @param options FIFO options
   */
  public static queue(queue: sqs.IQueue, options: HubQueueTargetOptions = {}): HubTarget {
    return new HubTarget(HubTargetKind.QUEUE, queue, options.messageGroupId);
  }

  /**
   * Starts an execution of a Step Functions state machine with the event as input.
   *
   * @param stateMachine the state machine
   */
  public static stateMachine(stateMachine: sfn.IStateMachine): HubTarget {
    return new HubTarget(HubTargetKind.STATE_MACHINE, stateMachine);
  }

  /**
   * Publishes the event to a standard SNS topic (EventBridge rules cannot set the message group a
   * FIFO topic needs).
   *
   * @param topic the topic
   */
  public static topic(topic: sns.ITopic): HubTarget {
    return new HubTarget(HubTargetKind.TOPIC, topic);
  }

  /**
   * Forwards the event to another event bus, in this or another account or region. Routes only:
   * EventBridge takes no retry policy for bus targets (their dead-letter queue still applies).
   *
   * @param eventBus the receiving bus; its policy must let this account put events when it is elsewhere
   */
  public static eventBus(eventBus: events.IEventBus): HubTarget {
    return new HubTarget(HubTargetKind.EVENT_BUS, eventBus);
  }

  /** What this target delivers to. */
  public readonly kind: HubTargetKind;

  /** @internal */
  public readonly _resource: IConstruct;

  /** @internal */
  public readonly _messageGroupId?: string;

  private constructor(kind: HubTargetKind, resource: IConstruct, messageGroupId?: string) {
    this.kind = kind;
    this._resource = resource;
    this._messageGroupId = messageGroupId;
  }
}

/**
 * A route: an EventBridge rule that delivers the events it matches to `HubTarget`s, with a dead-letter
 * queue and alarms. Returned by `EventHub.addRoute()` and `SecureBucket.addEventRoute()`.
 */
export interface IHubRoute extends IConstruct {
  /** The EventBridge rule. */
  readonly rule: events.IRule;

  /** Where the route's undeliverable events go. */
  readonly deadLetterQueue: sqs.IQueue;

  /** The role EventBridge uses for state machine and event bus targets, if the route has any. */
  readonly role?: iam.IRole;

  /** The route's alarms (failed invocations and dead-letter deliveries). */
  readonly alarms: cloudwatch.IAlarm[];

  /** Events the rule matched (`MatchedEvents`, sum over 5 minutes unless changed). */
  metricMatchedEvents(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Target invocations (`Invocations`, sum over 5 minutes unless changed). */
  metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Invocations that failed after every retry (`FailedInvocations`, sum over 5 minutes unless changed). */
  metricFailedInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Events sent to the dead-letter queue (`InvocationsSentToDlq`, sum over 5 minutes unless changed). */
  metricInvocationsSentToDlq(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Events that could not be sent to the dead-letter queue (`InvocationsFailedToBeSentToDlq`, sum over 5 minutes unless changed). */
  metricInvocationsFailedToBeSentToDlq(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}
