import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import type { SecureFunctionProps } from './secure-function';
import { BulwarkError } from '../core/errors';
import { LAMBDA_LIMITS, LAMBDA_RESERVED_ENVIRONMENT } from '../private/defaults/lambda';
import { checkKnownProps, propKeys } from '../private/props';
import { checkSecurityGroups } from '../private/shapes';
import { checkDuration, checkEnum, checkInteger, checkRetention } from '../private/validation';

// Internal to the library: every check of SecureFunction's input, run before anything is made.

const PROPS = propKeys<SecureFunctionProps>()('SecureFunctionProps', ['complianceProfile', 'monitoring', 'code', 'handler', 'runtime',
  'architecture', 'memorySize', 'timeout', 'description', 'environment', 'applicationLogLevel', 'logRetention', 'logGroup',
  'reservedConcurrentExecutions', 'vpc', 'vpcSubnets', 'securityGroups', 'key', 'deadLetterQueue', 'asyncRetryAttempts',
  'asyncMaxEventAge', 'alarms']);
const SUBNET_SELECTION = propKeys<ec2.SubnetSelection>()('ec2.SubnetSelection',
  ['subnetType', 'availabilityZones', 'subnetGroupName', 'onePerAz', 'subnetFilters', 'subnets'],
  { name: 'SubnetSelection', module: 'aws-cdk-lib/aws-ec2' });

/** Checks each prop on its own and against the others. */
export function validateSecureFunctionProps(scope: IConstruct, props: SecureFunctionProps): void {
  // From JavaScript a misspelled prop (logRetension) would be dropped without a word.
  checkKnownProps(scope, props, PROPS);
  checkKnownProps(scope, props.vpcSubnets, SUBNET_SELECTION, 'vpcSubnets');
  if (props.code === undefined || props.code === null) {
    throw BulwarkError.invalid(scope, 'code', props.code, 'it is required: a lambda.Code such as lambda.Code.fromAsset(dir)');
  }
  if (typeof props.handler !== 'string' || (!Token.isUnresolved(props.handler) && props.handler.trim() === '')) {
    throw BulwarkError.invalid(scope, 'handler', props.handler, 'it must name the entry point, e.g. \'index.handler\'');
  }
  if (!Token.isUnresolved(props.handler) && (props.handler.length > 128 || /\s/.test(props.handler))) {
    throw BulwarkError.invalid(scope, 'handler', props.handler, 'Lambda takes at most 128 characters without spaces, e.g. \'index.handler\'');
  }
  if (props.description !== undefined && !Token.isUnresolved(props.description) && props.description.length > LAMBDA_LIMITS.maxDescriptionLength) {
    throw BulwarkError.invalid(scope, 'description', `${props.description.slice(0, 40)}...`,
      `it has ${props.description.length} characters; Lambda allows at most ${LAMBDA_LIMITS.maxDescriptionLength}`);
  }
  const environmentSize = Object.entries(props.environment ?? {})
    .filter(([k, v]) => !Token.isUnresolved(k) && !Token.isUnresolved(v))
    .reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
  if (environmentSize > 4096) {
    throw new BulwarkError(scope, `environment takes ${environmentSize} bytes; Lambda allows 4 KB in all `
      + '(keep large values in SSM Parameter Store or Secrets Manager)');
  }
  for (const name of Object.keys(props.environment ?? {})) {
    if (Token.isUnresolved(name)) {
      continue;
    }
    if (!/^[a-zA-Z][a-zA-Z0-9_]+$/.test(name)) {
      throw BulwarkError.invalid(scope, 'environment', name, 'variable names need 2 or more letters, digits or underscores, starting with a letter');
    }
    if (LAMBDA_RESERVED_ENVIRONMENT.includes(name)) {
      throw BulwarkError.invalid(scope, 'environment', name, 'Lambda reserves this variable name; choose another');
    }
  }
  checkInteger(scope, 'memorySize', props.memorySize, 128, 10240);
  checkDuration(scope, 'timeout', props.timeout, Duration.seconds(1), Duration.minutes(15));
  checkInteger(scope, 'reservedConcurrentExecutions', props.reservedConcurrentExecutions, 1, 100000);
  checkInteger(scope, 'asyncRetryAttempts', props.asyncRetryAttempts, 0, 2);
  checkDuration(scope, 'asyncMaxEventAge', props.asyncMaxEventAge, Duration.minutes(1), Duration.hours(6));
  checkEnum(scope, 'applicationLogLevel', props.applicationLogLevel, lambda.ApplicationLogLevel, 'lambda.ApplicationLogLevel');
  checkRetention(scope, 'logRetention', props.logRetention);
  checkRuntime(scope, props);
  if (props.logGroup && props.logRetention !== undefined) {
    throw new BulwarkError(scope, 'logRetention applies to the created log group; it cannot be given together with logGroup (set the retention on your log group)');
  }
  if (!props.vpc && (props.vpcSubnets || props.securityGroups)) {
    throw new BulwarkError(scope, 'vpcSubnets and securityGroups need vpc; give vpc as well');
  }
  checkNetwork(scope, props);
  if (props.deadLetterQueue?.fifo === true) {
    throw BulwarkError.invalid(scope, 'deadLetterQueue', props.deadLetterQueue.node.path,
      'it is a FIFO queue; Lambda sends failed asynchronous events only to standard queues');
  }
}

/** `runtime` and `architecture` are CDK classes; from JavaScript or Python a plain string can arrive. */
function checkRuntime(scope: IConstruct, props: SecureFunctionProps): void {
  const runtime: unknown = props.runtime;
  if (runtime !== undefined && (typeof runtime !== 'object' || runtime === null || typeof (runtime as { name?: unknown }).name !== 'string')) {
    throw BulwarkError.invalid(scope, 'runtime', runtime, 'it must be a lambda.Runtime, such as lambda.Runtime.NODEJS_24_X');
  }
  const architecture: unknown = props.architecture;
  if (architecture !== undefined && !['arm64', 'x86_64'].includes((architecture as { name?: unknown } | null)?.name as string)) {
    throw BulwarkError.invalid(scope, 'architecture', architecture, 'it must be lambda.Architecture.ARM_64 or lambda.Architecture.X86_64');
  }
}

/**
 * `vpc` and `securityGroups`. An empty list would not mean "no group": CDK would give the function its
 * own default group, which allows all outbound traffic, instead of the documented HTTPS-only one.
 */
function checkNetwork(scope: IConstruct, props: SecureFunctionProps): void {
  const vpc: unknown = props.vpc;
  if (vpc !== undefined && (!Construct.isConstruct(vpc) || typeof (vpc as { selectSubnets?: unknown }).selectSubnets !== 'function')) {
    throw BulwarkError.invalid(scope, 'vpc', vpc, 'it must be a VPC (ec2.IVpc), such as ec2.Vpc.fromLookup(...)');
  }
  checkSecurityGroups(scope, 'securityGroups', props.securityGroups, 'give at least one security group, or leave it unset for the '
    + 'function\'s own group that allows only outbound HTTPS (an empty list would get CDK\'s group that allows all outbound traffic)');
}
