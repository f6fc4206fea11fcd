import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FunctionAlarmsProps } from './secure-function-alarms';
import { FUNCTION_ALARMS, functionMetrics, functionWidgets } from './secure-function-monitoring';
import { validateSecureFunctionProps } from './secure-function-validation';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { constructContext, watchAsyncFailureQueue } from '../monitoring/construct-context';
import { MonitoredConstructProps } from '../monitoring/monitored-props';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { LAMBDA_DEFAULTS } from '../private/defaults/lambda';
import { scopeServicePermissions } from '../private/invoke-permissions';
import { retainedLogGroup } from '../private/log-groups';
import { serviceRole } from '../private/managed-policy-role';
import { watchVpcFunction } from '../private/network-endpoints';
import { checkStackReservations } from '../private/reserved-concurrency';
import { KeyVia, scopedKeyStatement } from '../private/stack-key';
import { asyncFailureQueue, sharedNetwork, sharedNetworkOf } from '../private/stack-resources';
import { shortPath } from '../private/validation';

/**
 * Properties of `SecureFunction`.
 */
export interface SecureFunctionProps extends MonitoredConstructProps {
  /** The function's code. Use `lambda.Code.fromAsset()` on a folder or `lambda.Code.fromInline()`. */
  readonly code: lambda.Code;

  /** The entry point, e.g. `index.handler`. */
  readonly handler: string;

  /**
   * The runtime. Pinned per library release to the newest Node.js runtime.
   *
   * @default lambda.Runtime.NODEJS_24_X
   */
  readonly runtime?: lambda.Runtime;

  /**
   * The instruction set. ARM64 (Graviton) costs about 20% less per GB-second.
   *
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * Memory in MB (128 to 10,240). CPU is allocated in proportion.
   *
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * How long one invocation may run (1 second to 15 minutes).
   *
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;

  /**
   * A description of the function.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Environment variables, encrypted at rest with `key` in REGULATED. Never put secrets here: use
   * Secrets Manager (in a VPC without NAT, add its interface endpoint to `vpc`).
   *
   * @default - none
   */
  readonly environment?: Record<string, string>;

  /**
   * Minimum level of the function's own JSON log lines.
   *
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;

  /**
   * How long the function's log group keeps logs. `INFINITE` is refused: every log group the library
   * creates expires (bring a `logGroup` of your own to keep logs forever).
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A log group of your own for the function's logs (then `logRetention` does not apply).
   *
   * @default - a log group with `logRetention`, retained on stack deletion, encrypted with `key` in REGULATED
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * Concurrent executions reserved for this function (and its upper limit). Must be at least the
   * event source's maximum concurrency. Reservations come out of the account's concurrency quota, of
   * which Lambda keeps 100 unreserved: each stack that reserves some warns with its total
   * (`cdk-bulwark:function:reserved-concurrency`) unless the quota is given as context
   * `cdk-bulwark:lambdaConcurrencyQuota`, against which the total is then checked at synthesis.
   *
   * @default - none in STANDARD; in REGULATED 10, or context `cdk-bulwark:reservedConcurrency` (0 reserves none),
   * or the event source's maxConcurrency when higher
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * A VPC to run the function in. When the function's subnets in it are isolated, a warning names
   * each service its role is granted (and X-Ray) for which no endpoint in the VPC is found in the app.
   *
   * @default - none in STANDARD; the stack's shared network in REGULATED (isolated subnets, flow logs, no NAT),
   * which gets the interface endpoints the function's grants need
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Where in `vpc` to place the function.
   *
   * @default - the VPC's private subnets (isolated ones when it has no others)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups for the function in `vpc`. An empty list is refused (Lambda would otherwise get
   * CDK's group that allows all outbound traffic).
   *
   * @default - one group that allows only outbound HTTPS within the VPC (to its endpoints)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The customer-managed key for the environment variables and the created log group.
   *
   * @default - none in STANDARD (AWS-owned keys); the stack key in REGULATED
   */
  readonly key?: kms.IKey;

  /**
   * A standard SQS queue for asynchronous invocations that fail every attempt (Lambda cannot use
   * FIFO queues here).
   *
   * @default - the stack's async-failure queue (14-day retention, alarmed)
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * How often Lambda retries a failed asynchronous invocation (0 to 2).
   *
   * @default 2
   */
  readonly asyncRetryAttempts?: number;

  /**
   * How long Lambda keeps an asynchronous event it could not yet process (1 minute to 6 hours).
   *
   * @default Duration.hours(6)
   */
  readonly asyncMaxEventAge?: Duration;

  /**
   * Alarm thresholds, or `enabled: false` to skip an alarm.
   *
   * @default - errors and throttles alarms with their documented defaults
   */
  readonly alarms?: FunctionAlarmsProps;
}

/**
 * A Lambda function with the library's defaults: ARM64, a pinned Node.js runtime, explicit memory
 * and timeout, X-Ray active tracing, JSON logs to its own retained log group, its own role scoped
 * to that log group, failed asynchronous events kept in a dead-letter queue with explicit retry
 * settings, and alarms on errors and throttles.
 *
 * REGULATED adds a customer-managed key, a VPC (the stack's shared network unless `vpc` is given),
 * reserved concurrency and managed instead of inline IAM policies.
 */
export class SecureFunction extends Construct implements iam.IGrantable, ec2.IConnectable {
  /** The Lambda function. Pass it wherever an `IFunction` is expected. */
  public readonly lambdaFunction: lambda.Function;

  /** The function's execution role. */
  public readonly role: iam.IRole;

  /** The log group the function writes to. */
  public readonly logGroup: logs.ILogGroup;

  /** The queue that receives asynchronous invocations that failed every attempt. */
  public readonly deadLetterQueue: sqs.IQueue;

  /** The customer-managed key, when one is used. */
  public readonly key?: kms.IKey;

  /**
   * The VPC the function runs in, if any. In REGULATED this is the stack's shared network by default,
   * to which the interface endpoints the function's grants need are added at synthesis (an endpoint
   * for a service the library does not know you add with `vpc.addInterfaceEndpoint()`).
   */
  public readonly vpc?: ec2.IVpc;

  /** The reserved concurrency, when set. */
  public readonly reservedConcurrentExecutions?: number;

  /** The timeout of one invocation. */
  public readonly timeout: Duration;

  /** The alarms this construct created. */
  public readonly alarms: cloudwatch.IAlarm[];

  /** The principal to grant permissions to (the execution role). */
  public readonly grantPrincipal: iam.IPrincipal;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  constructor(scope: Construct, id: string, props: SecureFunctionProps) {
    super(scope, id);
    validateSecureFunctionProps(this, props ?? ({} as SecureFunctionProps));
    const context = constructContext(this, props);
    const alarms = context.alarms(Object.values(FUNCTION_ALARMS), props.alarms, 'FunctionAlarmsProps');

    // Resolve defaults.
    this.complianceProfile = context.profile;
    this.key = context.key(props.key);
    this.timeout = props.timeout ?? LAMBDA_DEFAULTS.timeout;
    this.reservedConcurrentExecutions = props.reservedConcurrentExecutions ?? context.traits.reservedConcurrency;
    const vpc = props.vpc ?? (context.traits.vpcFunctions ? sharedNetwork(this) : undefined);
    this.vpc = vpc;

    // Sub-resources.
    this.logGroup = props.logGroup ?? retainedLogGroup(this, 'LogGroup', { retention: props.logRetention, key: this.key });
    const role = serviceRole(this, 'ServiceRole', new iam.ServicePrincipal('lambda.amazonaws.com'), context.traits.managedPolicies,
      `Execution role of ${shortPath(this)}`);
    this.role = role;
    this.grantPrincipal = role;
    if (props.deadLetterQueue) {
      this.deadLetterQueue = props.deadLetterQueue;
    } else {
      const { resource: queue, created } = asyncFailureQueue(this);
      this.deadLetterQueue = queue;
      if (created) {
        watchAsyncFailureQueue(context.monitoring, queue);
      }
    }

    this.lambdaFunction = new lambda.Function(this, 'Function', {
      code: props.code,
      handler: props.handler,
      runtime: props.runtime ?? LAMBDA_DEFAULTS.runtime,
      architecture: props.architecture ?? LAMBDA_DEFAULTS.architecture,
      memorySize: props.memorySize ?? LAMBDA_DEFAULTS.memorySize,
      timeout: this.timeout,
      description: props.description,
      environment: props.environment,
      environmentEncryption: this.key,
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: props.applicationLogLevel ?? LAMBDA_DEFAULTS.applicationLogLevel,
      systemLogLevelV2: LAMBDA_DEFAULTS.systemLogLevel,
      reservedConcurrentExecutions: this.reservedConcurrentExecutions,
      vpc,
      vpcSubnets: vpc ? props.vpcSubnets : undefined,
      securityGroups: vpc ? (props.securityGroups ?? [this.createSecurityGroup(vpc)]) : undefined,
    });
    this.lambdaFunction.configureAsyncInvoke({
      retryAttempts: props.asyncRetryAttempts ?? LAMBDA_DEFAULTS.asyncRetryAttempts,
      maxEventAge: props.asyncMaxEventAge ?? LAMBDA_DEFAULTS.asyncMaxEventAge,
    });
    // X-Ray is set on the L1 so that its `Resource: *` statement lands in the base policy below,
    // not in the policy that later grants (yours included) are added to.
    const cfnFunction = this.lambdaFunction.node.defaultChild as lambda.CfnFunction;
    cfnFunction.tracingConfig = { mode: lambda.Tracing.ACTIVE };
    // The dead-letter target is set on the L1 too, so that its sqs:SendMessage lands in the base
    // policy: the inline policy then holds only grants made later (STANDARD leaves it to HIPAA/NIST/PCI).
    cfnFunction.deadLetterConfig = { targetArn: this.deadLetterQueue.queueArn };

    // Grants: the base policy holds what every function needs.
    const basePolicy = new iam.ManagedPolicy(this, 'BasePolicy', {
      description: `Logging, tracing and dead-letter permissions of ${shortPath(this)}`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOwnLogGroup',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'SendDeadLetters',
          actions: ['sqs:SendMessage'],
          resources: [this.deadLetterQueue.queueArn],
        }),
        new iam.PolicyStatement({
          sid: 'XRayHasNoResourceLevelPermissions',
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        }),
      ],
    });
    if (vpc) {
      basePolicy.addStatements(new iam.PolicyStatement({
        sid: 'VpcNetworkInterfacesHaveNoResourceLevelPermissions',
        actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: ['*'],
      }));
    }
    const dlqKey = this.deadLetterQueue.encryptionMasterKey;
    if (dlqKey) {
      // Lambda sends dead letters with the execution role: it needs the queue's key.
      // Only through SQS and only for this queue: in REGULATED the same key encrypts every queue,
      // log group and environment of the stack.
      basePolicy.addStatements(scopedKeyStatement(this, dlqKey, KeyVia.SQS, this.deadLetterQueue.queueArn, { sid: 'EncryptDeadLetters' }));
    }
    // The function must not start before its role can write logs and dead letters.
    this.lambdaFunction.node.addDependency(basePolicy);
    // Services given permission to invoke it (by any construct) are scoped by account as well as by ARN.
    scopeServicePermissions(this.lambdaFunction);
    if (vpc) {
      // A grant that makes the function call a service, made by anyone until synthesis, needs an
      // endpoint in isolated subnets: added to the shared network, or warned about for a VPC of yours.
      watchVpcFunction({
        scope: this,
        lambdaFunction: cfnFunction,
        role,
        vpc,
        subnets: vpc.selectSubnets(props.vpcSubnets),
        sharedNetwork: sharedNetworkOf(vpc),
        lambdaPolicies: [basePolicy],
        always: ['xray'], // the X-Ray daemon beside the code sends its traces
      });
    }
    if (this.reservedConcurrentExecutions !== undefined) {
      // Reservations can exceed the account's quota and fail the deploy: said once per stack, or checked
      // for each account and region of the app.
      checkStackReservations(this);
    }

    // Alarms and dashboard.
    const metrics = functionMetrics(this.lambdaFunction);
    alarms.add(FUNCTION_ALARMS.errors, metrics.errors, { where: shortPath(this) });
    alarms.add(FUNCTION_ALARMS.throttles, metrics.throttles, { where: shortPath(this) });
    this.alarms = alarms.alarms;
    context.addSection('Function', ...functionWidgets(this.lambdaFunction));

    // Acknowledgements, each on the exact resource.
    acknowledge(basePolicy.node.defaultChild as iam.CfnManagedPolicy, KNOWN_FINDINGS.wildcardResourceRequired);
    const invokeConfig = this.lambdaFunction.node.tryFindChild('EventInvokeConfig')?.node.defaultChild as lambda.CfnEventInvokeConfig;
    acknowledge(invokeConfig, KNOWN_FINDINGS.asyncFailureDestination);
  }

  /**
   * The function's network connections (security groups), to allow traffic to and from it.
   * Throws when the function is not in a VPC.
   */
  public get connections(): ec2.Connections {
    if (!this.vpc) {
      throw new BulwarkError(this, 'connections exist only for a function in a VPC; give vpc (or use REGULATED)');
    }
    return this.lambdaFunction.connections;
  }

  /**
   * The function's `Errors` metric (sum over 5 minutes unless changed).
   *
   * @param props options for the metric: period, statistic, label, ...
   */
  public metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.lambdaFunction.metricErrors(props);
  }

  /**
   * The function's `Throttles` metric (sum over 5 minutes unless changed).
   *
   * @param props options for the metric: period, statistic, label, ...
   */
  public metricThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.lambdaFunction.metricThrottles(props);
  }

  /**
   * The function's `Duration` metric (average over 5 minutes unless changed).
   *
   * @param props options for the metric: period, statistic, label, ...
   */
  public metricDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.lambdaFunction.metricDuration(props);
  }

  /**
   * The function's `Invocations` metric (sum over 5 minutes unless changed).
   *
   * @param props options for the metric: period, statistic, label, ...
   */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.lambdaFunction.metricInvocations(props);
  }

  private createSecurityGroup(vpc: ec2.IVpc): ec2.ISecurityGroup {
    const group = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      // Static text: security group descriptions allow only a small character set, construct paths do not.
      description: 'cdk-bulwark function: outbound HTTPS only',
      allowAllOutbound: false,
    });
    // Any address, not the VPC's CIDR: S3 and DynamoDB gateway endpoints are reached through AWS's
    // public prefix lists. The subnets' route tables (no internet route in the shared network) are
    // the boundary.
    group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS endpoints');
    return group;
  }
}
