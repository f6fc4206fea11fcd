import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { HubTarget } from '../core/hub-target';

/**
 * An Amazon S3 event as Amazon EventBridge receives it: its `detail-type` (S3 user guide, "EventBridge
 * event message structure").
 */
export enum BucketEventType {
  /** An object was created: PUT, POST, COPY or a completed multipart upload. */
  OBJECT_CREATED = 'Object Created',
  /** An object was deleted, or a delete marker created (also by a lifecycle expiration). */
  OBJECT_DELETED = 'Object Deleted',
  /** A restore of an archived object was started. */
  OBJECT_RESTORE_INITIATED = 'Object Restore Initiated',
  /** A restore of an archived object completed. */
  OBJECT_RESTORE_COMPLETED = 'Object Restore Completed',
  /** The temporary copy of a restored object expired. */
  OBJECT_RESTORE_EXPIRED = 'Object Restore Expired',
  /** Tags were added to an object. */
  OBJECT_TAGS_ADDED = 'Object Tags Added',
  /** Tags were removed from an object. */
  OBJECT_TAGS_DELETED = 'Object Tags Deleted',
  /** An object's ACL changed. */
  OBJECT_ACL_UPDATED = 'Object ACL Updated',
  /** An object moved to another storage class (by a lifecycle rule, for one). */
  OBJECT_STORAGE_CLASS_CHANGED = 'Object Storage Class Changed',
  /** An object moved to another S3 Intelligent-Tiering access tier. */
  OBJECT_ACCESS_TIER_CHANGED = 'Object Access Tier Changed',
}

/** Which of a bucket's events: their types and the object keys they are about. */
export interface BucketEventPatternOptions {
  /**
   * The event types.
   *
   * @default [BucketEventType.OBJECT_CREATED]
   */
  readonly events?: BucketEventType[];

  /**
   * Only objects whose key starts with this (`uploads/`). Keys are matched as they appear in the event:
   * test keys with spaces or special characters before relying on a filter for them.
   *
   * @default - every key
   */
  readonly keyPrefix?: string;

  /**
   * Only objects whose key ends with this (`.csv`).
   *
   * @default - every key
   */
  readonly keySuffix?: string;
}

/**
 * An event route of a `SecureBucket`: an EventBridge rule on the account's default event bus (where
 * S3 sends its events) that delivers the bucket's matching events to its targets.
 */
export interface BucketEventRouteOptions extends BucketEventPatternOptions {
  /**
   * Where matching events go: 1 to 5 targets (EventBridge's limit per rule). A `QueueWorker`'s
   * `queue` (`HubTarget.queue(worker.queue)`), a function, a state machine, a topic, or an
   * `EventHub`'s bus (`HubTarget.eventBus(hub.eventBus)`), whose routes then match the same events.
   */
  readonly targets: HubTarget[];

  /**
   * A description of the rule (up to 512 characters).
   *
   * @default - one naming the bucket and the event types
   */
  readonly description?: string;

  /**
   * Whether the rule is enabled.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * A standard SQS queue of your own for this route's undeliverable events. Its policy must let
   * EventBridge send (a queue created in this app gets that statement); its key, if any, must let
   * `events.amazonaws.com` use it.
   *
   * @default - the bucket's events dead-letter queue (created with the first route)
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * How often EventBridge retries a failed delivery (0 to 185). Event bus targets take no retry policy.
   *
   * @default 185
   */
  readonly retryAttempts?: number;

  /**
   * How long EventBridge keeps retrying an event (1 minute to 24 hours). Event bus targets take no
   * retry policy.
   *
   * @default Duration.hours(24)
   */
  readonly maxEventAge?: Duration;
}
