import { Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BucketEventPatternOptions, BucketEventRouteOptions, BucketEventType } from './bucket-events';
import { SECURE_BUCKET_ALARMS, storageMetrics } from './secure-bucket-monitoring';
import { SecureBucketProps } from './secure-bucket-props';
import { checkObjectsPattern, OWN_LIFECYCLE_RULE, validateBucketProps, validateEventRoute, validatePatternOptions } from './secure-bucket-validation';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { IHubRoute } from '../core/hub-target';
import { constructContext } from '../monitoring/construct-context';
import { acknowledge, bucketObjectsFinding, KNOWN_FINDINGS } from '../private/acknowledgements';
import { AlarmSet } from '../private/alarm-set';
import { ConstructContext } from '../private/context';
import { createDeadLetterQueue, deadLetterDepth, DeadLetterWriter } from '../private/dead-letter-queue';
import { EVENTS_DEFAULTS } from '../private/defaults/events';
import { BUCKET_DEFAULTS, S3_ACTIONS } from '../private/defaults/s3';
import { allowEventBridgeDeadLetters } from '../private/delivery-targets';
import { addRouteAlarms, EventRoute, RouteWidgets } from '../private/event-route';
import { createLogBucket, LOG_WRITERS } from '../private/log-buckets';
import { OwnPolicies, OwnPolicy } from '../private/managed-policy-role';
import { checkGrantee } from '../private/shapes';
import { KeyVia, scopedKeyStatement } from '../private/stack-key';
import { shortPath } from '../private/validation';
import { ensurePolicy, warn, WARNINGS } from '../private/warnings';

/**
 * An S3 bucket that keeps its data and says who touched it: no public access, TLS 1.2 and up only,
 * encrypted (with the stack key in REGULATED, SSE-S3 otherwise), versioned, ACLs off, server access
 * logs to a log bucket of its own, a lifecycle for replaced versions and unfinished uploads, and
 * `RETAIN`. Its events reach EventBridge natively (no custom resource) and `addEventRoute()` sends
 * them on, with retries, a dead-letter queue and alarms; grants name exact actions and give a
 * customer-managed key only through S3 and for this bucket.
 *
 * @example
 * const uploads = new SecureBucket(this, 'Uploads');
 * const worker = new QueueWorker(this, 'Transform', { handlerProps: { code: lambda.Code.fromAsset('handlers'), handler: 'transform.handler' } });
 * uploads.addEventRoute('ToTransform', { targets: [HubTarget.queue(worker.queue)] });
 */
export class SecureBucket extends Construct {
  /** The S3 bucket. */
  public readonly bucket: s3.Bucket;

  /** The bucket the server access logs go to, created or brought. */
  public readonly serverAccessLogsBucket: s3.IBucket;

  /**
   * The customer-managed key that encrypts the objects.
   *
   * @default - none: SSE-S3 (STANDARD without `key`)
   */
  public readonly key?: kms.IKey;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  private readonly context: ConstructContext;
  private readonly alarmSet: AlarmSet;
  private readonly routeMap = new Map<string, EventRoute>();
  private readonly routeAlarms: cloudwatch.IAlarm[] = [];
  private readonly watchedQueues = new Set<sqs.IQueue>();
  private readonly widgets = new RouteWidgets();
  private routesScope?: Construct;
  private createdDeadLetterQueue?: sqs.IQueue;
  /** The policy of each role of this stack granted so far, and the object patterns each holds. */
  private ownPolicies?: OwnPolicies;
  private readonly grantedPatterns = new Map<OwnPolicy, Set<string>>();

  constructor(scope: Construct, id: string, props: SecureBucketProps = {}) {
    super(scope, id);
    validateBucketProps(this, props);
    const context = constructContext(this, props);
    this.context = context;
    this.complianceProfile = context.profile;
    this.alarmSet = context.alarms(Object.values(SECURE_BUCKET_ALARMS), props.alarms, 'SecureBucketAlarmsProps');
    this.key = context.key(props.key);
    if (props.removalPolicy === RemovalPolicy.DESTROY) {
      warn(this, WARNINGS.bucketRemovalDestroy);
    }
    if (props.cors?.allowedOrigins.includes('*')) {
      warn(this, WARNINGS.bucketCorsAnyOrigin);
    }

    const versioned = props.versioned ?? true;
    this.serverAccessLogsBucket = props.serverAccessLogsBucket ?? createLogBucket(this, 'AccessLogs', LOG_WRITERS.serverAccessLogs);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: this.key ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: this.key,
      bucketKeyEnabled: this.key ? true : undefined,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      lifecycleRules: [{
        id: OWN_LIFECYCLE_RULE,
        noncurrentVersionExpiration: versioned ? props.noncurrentVersionExpiration ?? BUCKET_DEFAULTS.noncurrentVersionExpiration : undefined,
        abortIncompleteMultipartUploadAfter: props.abortIncompleteMultipartUploadAfter ?? BUCKET_DEFAULTS.abortIncompleteMultipartUpload,
      }, ...(props.lifecycleRules ?? [])],
      cors: props.cors ? [{
        allowedOrigins: props.cors.allowedOrigins,
        allowedMethods: props.cors.allowedMethods ?? [s3.HttpMethods.PUT, s3.HttpMethods.POST, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
        allowedHeaders: props.cors.allowedHeaders ?? ['*'],
        exposedHeaders: props.cors.exposedHeaders ?? [...BUCKET_DEFAULTS.corsExposedHeaders],
        maxAge: (props.cors.maxAge ?? BUCKET_DEFAULTS.corsMaxAge).toSeconds(),
      }] : undefined,
    });
    const cfn = this.bucket.node.defaultChild as s3.CfnBucket;

    // Server access logs, set on the L1 with the log bucket's policy written here: CDK's
    // serverAccessLogsBucket grants log delivery through an ACL unless a feature flag is on, and
    // ACLs are off on every bucket here (S3 user guide, "Enabling Amazon S3 server access logging":
    // with Bucket owner enforced, only a bucket policy grants logging.s3.amazonaws.com).
    const prefix = props.serverAccessLogsPrefix ?? `${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}/`;
    cfn.loggingConfiguration = { destinationBucketName: this.serverAccessLogsBucket.bucketName, logFilePrefix: prefix };
    this.allowLogDelivery(prefix);

    // Events to EventBridge natively: no notifications custom resource.
    if (props.eventBridgeEnabled) {
      this.enableEventBridge();
    }

    // Replication is priced (a second copy, transfer, requests) and needs a bucket in another region
    // or account, which this construct does not create.
    acknowledge(cfn, KNOWN_FINDINGS.bucketReplication);

    // CDK's notifications custom resource (bucket.addEventNotification(), enableEventBridgeNotification())
    // would overwrite the bucket's own notification configuration, and this one it.
    this.node.addValidation({
      validate: () => this.bucket.node.tryFindChild('Notifications')
        ? [`SecureBucket '${this.node.path}': bucket.addEventNotification() or enableEventBridgeNotification() adds CDK's notifications custom `
          + 'resource, which would overwrite the event configuration the bucket has (and be overwritten by it); use addEventRoute() instead']
        : [],
    });

    context.addSection('Bucket', this.storageWidget(), ...this.widgets.all);
  }

  /** The bucket's name. */
  public get bucketName(): string {
    return this.bucket.bucketName;
  }

  /** The bucket's ARN. */
  public get bucketArn(): string {
    return this.bucket.bucketArn;
  }

  /** The alarms of the bucket's event routes. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.routeAlarms];
  }

  /** Every event route, in the order added. */
  public get eventRoutes(): IHubRoute[] {
    return [...this.routeMap.values()];
  }

  /**
   * The dead-letter queue of the event routes, created with the first route that has none of its own.
   *
   * @default - none before the first event route
   */
  public get eventsDeadLetterQueue(): sqs.IQueue | undefined {
    return this.createdDeadLetterQueue;
  }

  /**
   * An EventBridge event pattern for this bucket's events (S3 sends them to the account's default
   * bus once `eventBridgeEnabled` or an event route turns that on): for an `EventHub` route when
   * `addEventRoute()` forwards the events to the hub's bus, or for a rule of your own.
   *
   * @param options the event types and object keys
   */
  public eventPattern(options: BucketEventPatternOptions = {}): events.EventPattern {
    validatePatternOptions(this, options);
    return this.patternOf(options);
  }

  /**
   * Sends the bucket's events to targets: turns on S3's EventBridge delivery and adds a rule on the
   * default bus that matches this bucket's events (`Object Created` unless told, under `keyPrefix`
   * and ending with `keySuffix`), with EventBridge's retries (185 attempts over 24 hours unless told),
   * a dead-letter queue for what it cannot deliver, and alarms on both. Queue and topic targets get a
   * policy statement for exactly this rule, and their key the EventBridge statement.
   *
   * @param id the route's id, unique in the bucket (its construct id under `EventRoutes`: never change it)
   * @param options the targets, the events and the delivery settings
   */
  public addEventRoute(id: string, options: BucketEventRouteOptions): IHubRoute {
    validateEventRoute(this, id, options, new Set(this.routeMap.keys()));
    this.enableEventBridge();
    this.routesScope ??= new Construct(this, 'EventRoutes');
    const stack = Stack.of(this);
    const eventBus = events.EventBus.fromEventBusName(this.routesScope, `${id}DefaultBus`, 'default');
    const types = options.events ?? [BucketEventType.OBJECT_CREATED];
    const route = new EventRoute(this.routesScope, id, {
      eventPattern: this.patternOf(options),
      targets: options.targets,
      description: options.description ?? `${types.join(', ')} events of bucket ${shortPath(this, 200)}`.slice(0, 512),
      enabled: options.enabled,
      eventBus,
      deadLetterQueue: () => options.deadLetterQueue ?? this.ensureDeadLetterQueue(),
      retry: {
        retryAttempts: options.retryAttempts ?? EVENTS_DEFAULTS.retryAttempts,
        maxEventAge: options.maxEventAge ?? EVENTS_DEFAULTS.maxEventAge,
      },
      managedRoles: this.context.traits.managedPolicies,
      ownerPath: shortPath(this, 120),
      ruleSourceArn: stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }),
    });
    this.routeMap.set(id, route);
    allowEventBridgeDeadLetters(this, route.deadLetterQueue, `BucketEventRoute${Names.uniqueId(route)}`, [route.rule.ruleArn],
      () => warn(this, WARNINGS.hubDeadLetterQueuePolicy, route.deadLetterQueue.node.path));
    const shownId = id.length <= 60 ? id : `${id.slice(0, 57)}...`;
    const where = `event route '${shownId}' of bucket ${shortPath(this, 120)}`;
    this.routeAlarms.push(...addRouteAlarms(this.alarmSet, SECURE_BUCKET_ALARMS, route, where));
    this.watchDeadLetterQueue(route, route.deadLetterQueue);
    this.widgets.addRoute(id, route);
    return route;
  }

  /**
   * Lets `grantee` read objects (`GetObject`, `GetObjectVersion`, `GetObjectTagging`, `GetObjectAttributes`
   * on the objects matching `objectsKeyPattern`) and list the bucket (`ListBucket`, `GetBucketLocation`),
   * with `kms:Decrypt` of a customer-managed key only through S3 and for this bucket.
   *
   * @param grantee the principal (a `SecureFunction`'s function, a role)
   * @param objectsKeyPattern the keys, `*` for all (`reports/*`)
   */
  public grantRead(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grant('grantRead()', grantee, objectsKeyPattern, S3_ACTIONS.readObjects, true, S3_ACTIONS.keyRead);
  }

  /**
   * Lets `grantee` put objects (`PutObject`, `PutObjectTagging`, `AbortMultipartUpload`), with the
   * key's data-key actions only through S3 and for this bucket. It cannot read or delete.
   *
   * @param grantee the principal
   * @param objectsKeyPattern the keys, `*` for all (`uploads/*`)
   */
  public grantPut(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grant('grantPut()', grantee, objectsKeyPattern, S3_ACTIONS.putObjects, false, S3_ACTIONS.keyWrite);
  }

  /**
   * Lets `grantee` put and delete objects (`grantPut()`'s actions and `DeleteObject`, which in a
   * versioned bucket adds a delete marker and keeps the versions: no `DeleteObjectVersion`).
   *
   * @param grantee the principal
   * @param objectsKeyPattern the keys, `*` for all
   */
  public grantWrite(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grant('grantWrite()', grantee, objectsKeyPattern, [...S3_ACTIONS.putObjects, ...S3_ACTIONS.deleteObjects], false, S3_ACTIONS.keyWrite);
  }

  /**
   * Lets `grantee` read, list, put and delete objects (`grantRead()` and `grantWrite()` together).
   *
   * @param grantee the principal
   * @param objectsKeyPattern the keys, `*` for all
   */
  public grantReadWrite(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grant('grantReadWrite()', grantee, objectsKeyPattern,
      [...S3_ACTIONS.readObjects, ...S3_ACTIONS.putObjects, ...S3_ACTIONS.deleteObjects], true, S3_ACTIONS.keyWrite);
  }

  /** The bucket's size in bytes in the Standard storage class (`BucketSizeBytes`, daily average: S3 reports it once a day, free). */
  public metricBucketSizeBytes(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return storageMetrics(this.bucket).size.with(props ?? {});
  }

  /** The number of objects, all storage classes (`NumberOfObjects`, daily average: S3 reports it once a day, free). */
  public metricNumberOfObjects(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return storageMetrics(this.bucket).objects.with(props ?? {});
  }

  /**
   * The statements of a grant. For a role of this stack they go into one policy of its own per role
   * under `Grants`, where the finding for each object pattern (objects are named by key only at run
   * time) is acknowledged on exactly that policy. Any other principal gets the S3 statements in its
   * own policy, or (another account, an imported role that cannot be changed) in the bucket's; the
   * key statement in its own policy, or in the key's when the key was created in this app.
   */
  private grant(method: string, grantee: iam.IGrantable, pattern: string, objectActions: readonly string[], list: boolean,
    keyActions: readonly string[]): iam.Grant {
    checkGrantee(this, method, grantee);
    checkObjectsPattern(this, method, pattern);
    const principal = grantee.grantPrincipal;
    if (principal instanceof iam.ServicePrincipal || 'Service' in (principal.policyFragment.principalJson ?? {})) {
      throw new BulwarkError(this, `${method}: ${principal} is an AWS service; a service reads a bucket through the bucket's policy with `
        + 'aws:SourceArn and aws:SourceAccount naming what acts for you: add that statement to bucket.addToResourcePolicy()');
    }
    const s3Statements = [new iam.PolicyStatement({ actions: [...objectActions], resources: [this.bucket.arnForObjects(pattern)] })];
    if (list) {
      // A grant on a key prefix lists only under it (ListBucket without a prefix is then refused).
      const prefix = listPrefix(pattern);
      s3Statements.push(new iam.PolicyStatement({
        actions: [...S3_ACTIONS.listBucket],
        resources: [this.bucket.bucketArn],
        conditions: prefix === undefined ? undefined : { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }));
      s3Statements.push(new iam.PolicyStatement({ actions: [...S3_ACTIONS.bucketLocation], resources: [this.bucket.bucketArn] }));
    }
    const keyStatement = this.key ? scopedKeyStatement(this, this.key, KeyVia.S3, this.bucket.bucketArn, { actions: keyActions }) : undefined;

    this.ownPolicies ??= new OwnPolicies(this, this.context.traits.managedPolicies);
    const own = this.ownPolicies.of(grantee);
    if (own) {
      const patterns = this.grantedPatterns.get(own) ?? new Set<string>();
      this.grantedPatterns.set(own, patterns);
      if (!patterns.has(pattern)) {
        patterns.add(pattern);
        const logicalId = Stack.of(this).resolve((this.bucket.node.defaultChild as s3.CfnBucket).logicalId) as string;
        acknowledge(own.policy, bucketObjectsFinding(`<${logicalId}.Arn>/${pattern}`));
      }
      return own.grant(keyStatement ? [...s3Statements, keyStatement] : s3Statements);
    }
    let grant = s3Statements.map((statement) => iam.Grant.addToPrincipalOrResource({
      grantee, actions: statement.actions, resourceArns: statement.resources, conditions: statement.conditions, resource: this.bucket,
    })).reduce((a, b) => a.combine(b));
    if (keyStatement && this.key) {
      const keyGrant = iam.Grant.addToPrincipal({
        grantee,
        actions: keyStatement.actions,
        resourceArns: keyStatement.resources,
        conditions: keyStatement.conditions,
      });
      if (!keyGrant.success || !sameAccount(Stack.of(this).account, principal.principalAccount)) {
        const key = this.key;
        // In the key's policy the bucket's ARN would make a cycle (bucket -> key -> bucket): name the bucket only
        // when its name is known at synthesis, else only S3 (kms:ViaService) narrows the statement.
        const name = (this.bucket.node.defaultChild as s3.CfnBucket).bucketName;
        const context = name !== undefined && !Token.isUnresolved(name)
          ? { 'kms:EncryptionContext:aws:s3:arn': Stack.of(this).formatArn({ service: 's3', region: '', account: '', resource: name }) } : {};
        const forKeyPolicy = new iam.PolicyStatement({
          principals: [principal],
          actions: keyStatement.actions,
          resources: ['*'],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com`, ...context } },
        });
        ensurePolicy(key, forKeyPolicy, () => warn(this, WARNINGS.bucketGranteeKey, `${principal}`, key.node.path,
          JSON.stringify(Stack.of(this).resolve(forKeyPolicy.toStatementJson()))));
      }
      grant = grant.combine(keyGrant);
    }
    return grant;
  }

  /** The pattern of this bucket's events. */
  private patternOf(options: BucketEventPatternOptions): events.EventPattern {
    const key = options.keyPrefix !== undefined && options.keySuffix !== undefined
      ? [{ wildcard: `${escapeWildcard(options.keyPrefix)}*${escapeWildcard(options.keySuffix)}` }]
      : options.keyPrefix !== undefined ? [{ prefix: options.keyPrefix }]
        : options.keySuffix !== undefined ? [{ suffix: options.keySuffix }] : undefined;
    return {
      source: ['aws.s3'],
      detailType: [...(options.events ?? [BucketEventType.OBJECT_CREATED])],
      detail: {
        bucket: { name: [this.bucket.bucketName] },
        ...(key ? { object: { key } } : {}),
      },
    };
  }

  /** S3 → EventBridge, on the bucket's own configuration (CDK's eventBridgeEnabled adds a custom resource). */
  private enableEventBridge(): void {
    const cfn = this.bucket.node.defaultChild as s3.CfnBucket;
    cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  }

  /**
   * The log bucket's statement for S3's log delivery: objects under the prefix, from this bucket and
   * account only. For a bucket of another stack, only the account (this bucket's ARN there would
   * make each stack refer to the other).
   */
  private allowLogDelivery(prefix: string): void {
    const logs = this.serverAccessLogsBucket;
    const sameStack = Stack.of(logs) === Stack.of(this);
    const statement = new iam.PolicyStatement({
      sid: `S3ServerAccessLogs${Names.uniqueId(this)}`.slice(0, 100),
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [logs.arnForObjects(`${prefix}*`)],
      conditions: {
        ...(sameStack ? { ArnLike: { 'aws:SourceArn': this.bucket.bucketArn } } : {}),
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      },
    });
    ensurePolicy(logs, statement, () => warn(this, WARNINGS.bucketLogDeliveryPolicy, logs.node.path,
      JSON.stringify(Stack.of(this).resolve(statement.toStatementJson()))));
  }

  /**
   * The events dead-letter queue: SQS-managed encryption in every profile, so a disabled key of the
   * targets does not also stop the report of the failure.
   */
  private ensureDeadLetterQueue(): sqs.IQueue {
    this.createdDeadLetterQueue ??= createDeadLetterQueue(this, 'EventsDeadLetterQueue', { writers: [DeadLetterWriter.EVENTBRIDGE] });
    return this.createdDeadLetterQueue;
  }

  private watchDeadLetterQueue(scope: Construct, queue: sqs.IQueue): void {
    if (this.watchedQueues.has(queue)) {
      return;
    }
    this.watchedQueues.add(queue);
    this.widgets.queues.addLeftMetric(queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, label: queue.node.id }));
    const alarm = this.alarmSet.add(SECURE_BUCKET_ALARMS.deadLetterQueueMessages, deadLetterDepth(queue), { scope, where: shortPath(this, 120) });
    if (alarm) {
      this.routeAlarms.push(alarm);
    }
  }

  private storageWidget(): cloudwatch.IWidget {
    const metrics = storageMetrics(this.bucket);
    return new cloudwatch.GraphWidget({ title: 'Size (left) / objects (right), daily', width: 8, left: [metrics.size], right: [metrics.objects] });
  }
}

/** EventBridge wildcard patterns treat `*` and `\` as special: escape them in literal parts. */
function escapeWildcard(text: string): string {
  return text.replace(/[\\*]/g, (c) => `\\${c}`);
}

/** The key prefix of an objects pattern that is a prefix and `*` (`reports/*`), for narrowing listings. */
function listPrefix(pattern: string): string | undefined {
  const star = pattern.indexOf('*');
  return star > 0 && star === pattern.length - 1 ? pattern.slice(0, -1) : undefined;
}

/** Whether `account` is the stack's, when both are known. */
function sameAccount(stackAccount: string, account: string | undefined): boolean {
  return account === undefined || Token.isUnresolved(account) || Token.isUnresolved(stackAccount) || account === stackAccount;
}
