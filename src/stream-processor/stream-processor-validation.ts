import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { StreamProcessorProps } from './stream-processor-props';
import { BulwarkError } from '../core/errors';
import { StreamConsumerOptions } from '../core/stream-consumer-options';
import { checkDataKey } from '../private/api-environment';
import { KINESIS_LIMITS } from '../private/defaults/kinesis';
import { checkKnownProps, propKeys } from '../private/props';
import { checkStreamConsumerOptions } from '../private/stream-consumer';
import { checkBoolean, checkDuration, checkInteger, checkRemovalPolicy } from '../private/validation';

// Internal to the library: every check of StreamProcessor's input, run before anything is made.

const PROPS = propKeys<StreamProcessorProps>()('StreamProcessorProps', ['handler', 'handlerProps', 'shardCount', 'retentionPeriod', 'key',
  'streamName', 'removalPolicy', 'enhancedFanOut', 'batchSize', 'maxBatchingWindow', 'startingPosition', 'startingPositionTimestamp',
  'parallelizationFactor', 'retryAttempts', 'maxRecordAge', 'failureQueue', 'alarms', 'complianceProfile', 'monitoring']);

/** Kinesis stream names (CreateStream API). */
const STREAM_NAME = /^[a-zA-Z0-9_.-]+$/;

/** The consumer options among the props, for the kit's stream-consumer checks. */
export function consumerOptions(props: StreamProcessorProps): StreamConsumerOptions {
  return {
    batchSize: props.batchSize,
    maxBatchingWindow: props.maxBatchingWindow,
    startingPosition: props.startingPosition,
    parallelizationFactor: props.parallelizationFactor,
    retryAttempts: props.retryAttempts,
    maxRecordAge: props.maxRecordAge,
    failureQueue: props.failureQueue,
  };
}

/** Validates the props of `StreamProcessor` (the handler choice is checked by the kit's `checkHandlerChoice`). */
export function validateStreamProcessorProps(scope: Construct, props: StreamProcessorProps): void {
  checkKnownProps(scope, props, PROPS);
  // The shard count may be a token (a parameter): only a number is checked.
  checkInteger(scope, 'shardCount', props.shardCount, 1, Number.MAX_SAFE_INTEGER);
  checkDuration(scope, 'retentionPeriod', props.retentionPeriod, KINESIS_LIMITS.minRetention, KINESIS_LIMITS.maxRetention);
  if (props.retentionPeriod !== undefined && !props.retentionPeriod.isUnresolved() && !Number.isInteger(props.retentionPeriod.toMinutes() / 60)) {
    throw BulwarkError.invalid(scope, 'retentionPeriod', props.retentionPeriod, 'Kinesis keeps records for whole hours; give Duration.hours(n)');
  }
  checkDataKey(scope, 'key', props.key, 'Kinesis');
  checkStreamName(scope, props.streamName);
  checkBoolean(scope, 'enhancedFanOut', props.enhancedFanOut);
  checkRemovalPolicy(scope, props.removalPolicy, 'CloudFormation cannot snapshot a Kinesis stream: keep RETAIN, '
    + 'or DESTROY to delete the stream (and its unprocessed records) with the stack');
  checkStreamConsumerOptions(scope, consumerOptions(props), 'Kinesis', true);
  checkStartingTimestamp(scope, props);
  const retention = props.retentionPeriod ?? Duration.hours(24);
  if (props.maxRecordAge !== undefined && !props.maxRecordAge.isUnresolved() && !retention.isUnresolved()
    && props.maxRecordAge.toSeconds() > retention.toSeconds()) {
    throw BulwarkError.invalid(scope, 'maxRecordAge', props.maxRecordAge, 'it is longer than the stream keeps records (retentionPeriod '
      + `${retention.toHumanString()}): records expire first; give at most the retention period, or leave it out`);
  }
}

function checkStreamName(scope: Construct, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  if (typeof name !== 'string' || name.length < 1 || name.length > KINESIS_LIMITS.maxStreamNameLength || !STREAM_NAME.test(name)) {
    throw BulwarkError.invalid(scope, 'streamName', name, `it must be 1 to ${KINESIS_LIMITS.maxStreamNameLength} letters, digits, '_', '.' or '-'`);
  }
}

function checkStartingTimestamp(scope: Construct, props: StreamProcessorProps): void {
  const at = props.startingPosition === lambda.StartingPosition.AT_TIMESTAMP;
  const timestamp = props.startingPositionTimestamp;
  if (at && timestamp === undefined) {
    throw BulwarkError.invalid(scope, 'startingPosition', props.startingPosition, 'AT_TIMESTAMP needs startingPositionTimestamp '
      + '(seconds since 1970-01-01 UTC)');
  }
  if (!at && timestamp !== undefined) {
    throw BulwarkError.invalid(scope, 'startingPositionTimestamp', timestamp, 'it applies to startingPosition AT_TIMESTAMP only');
  }
  if (timestamp !== undefined && !Token.isUnresolved(timestamp) && (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0)) {
    throw BulwarkError.invalid(scope, 'startingPositionTimestamp', timestamp, 'it must be a number of seconds since 1970-01-01 UTC');
  }
  // Lambda refuses a starting time in the future; milliseconds (Date.now()) always are.
  if (timestamp !== undefined && !Token.isUnresolved(timestamp) && timestamp > Date.now() / 1000) {
    throw BulwarkError.invalid(scope, 'startingPositionTimestamp', timestamp, `it is in the future (${new Date(timestamp * 1000).toISOString()
      .slice(0, 10)}), which Lambda refuses; give seconds since 1970-01-01 UTC (Date.now() / 1000, not Date.now())`);
  }
}
