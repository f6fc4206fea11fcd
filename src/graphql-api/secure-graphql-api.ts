import { Aws, Names, Stack } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { applyAuthorization, authorizationConfig, modeProp } from './graphql-authorization-config';
import { GraphqlStep } from './graphql-step';
import { SchemaField, SchemaModel } from './schema-model';
import { addGraphqlAlarms, graphqlMetric, graphqlWidgets, SECURE_GRAPHQL_API_ALARMS } from './secure-graphql-api-monitoring';
import { GraphqlCacheSize, SecureGraphqlApiProps } from './secure-graphql-api-props';
import { validateGraphqlApiProps } from './secure-graphql-api-validation';
import { TableResolver } from './table-resolver';
import { tableResolverPlan } from './table-resolver-code';
import { ComplianceProfile } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';
import { constructContext } from '../monitoring/construct-context';
import { acknowledge, KNOWN_FINDINGS } from '../private/acknowledgements';
import { AlarmSet } from '../private/alarm-set';
import { checkFunction } from '../private/api-family';
import { APPSYNC_DEFAULTS } from '../private/defaults/appsync';
import { retainedLogGroup } from '../private/log-groups';
import { serviceRole } from '../private/managed-policy-role';
import { shortPath } from '../private/validation';
import { warn, WARNINGS } from '../private/warnings';
import { protectWithFirewall } from '../private/web-firewall';
import { SecureTable } from '../table/secure-table';

/** AppSync's APPSYNC_JS runtime. */
const JS_RUNTIME = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' };

/** AppSync's limit of functions in a pipeline resolver. */
const PIPELINE_MAX_STEPS = 10;

/** An AppSync function's name. */
const FUNCTION_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A pipeline resolver's own code: the field returns the last step's result. */
const PIPELINE_CODE = 'export function request(ctx) {\n  return {};\n}\n\nexport function response(ctx) {\n  return ctx.prev.result;\n}\n';

/** A Lambda step: the function gets the field's arguments, the caller, the source and the previous step's result. */
const LAMBDA_STEP_CODE = "import { util } from '@aws-appsync/utils';\n\nexport function request(ctx) {\n"
  + "  return { operation: 'Invoke', payload: { arguments: ctx.args, identity: ctx.identity, source: ctx.source, prev: ctx.prev.result } };\n}\n\n"
  + 'export function response(ctx) {\n  if (ctx.error) {\n    util.error(ctx.error.message, ctx.error.type);\n  }\n  return ctx.result;\n}\n';

/**
 * A GraphQL API (AWS AppSync) where every caller is authorized, every request is filtered by a
 * firewall and limited in depth and resolver count, and failures are logged and alarmed.
 *
 * Defaults: the authorization you choose (no API key unless asked for, with an expiry and a
 * warning); field logging of errors to a retained log group created here (no custom resource),
 * through a role limited to that group; X-Ray tracing; an AWS WAF web ACL with AWS managed rule
 * groups, a rate-based rule and logging; query depth 10 and 1,000 resolvers per request; alarms on
 * 5XX and 4XX errors and p90 latency; a dashboard section. Resolvers for `SecureTable`s are
 * written for you in APPSYNC_JS (`addTableResolver`), Lambda resolvers call a function directly
 * (`addFunctionResolver`), and subscriptions follow mutations with `@aws_subscribe`.
 *
 * @example
 * declare const users: cognito.IUserPool;
 * declare const orders: SecureTable;
 * const api = new SecureGraphqlApi(this, 'OrdersGraph', {
 *   schema: GraphqlSchema.fromString('type Order { orderId: ID! } type Query { order(orderId: ID!): Order }'),
 *   authorization: GraphqlAuthorization.userPool(users),
 * });
 * api.addTableResolver('Query', 'order', orders, TableResolver.getItem());
 */
export class SecureGraphqlApi extends Construct {
  /** The AppSync API. */
  public readonly api: appsync.GraphqlApi;

  /** The log group AppSync writes to (`/aws/appsync/apis/<api id>`), created here so it has a retention. */
  public readonly logGroup: logs.LogGroup;

  /** The role AppSync uses to write the logs, allowed only that log group. */
  public readonly logRole: iam.IRole;

  /**
   * The ARN of the web ACL in front of the API.
   *
   * @default - none when `firewall.enabled` is false
   */
  public readonly webAclArn?: string;

  /**
   * The created web ACL.
   *
   * @default - none when `firewall.enabled` is false or `firewall.webAclArn` is given
   */
  public readonly webAcl?: wafv2.CfnWebACL;

  /**
   * The log group of the created web ACL (`aws-waf-logs-...`).
   *
   * @default - none when no web ACL is created
   */
  public readonly firewallLogGroup?: logs.ILogGroup;

  /**
   * The server-side cache.
   *
   * @default - none without `cache`
   */
  public readonly cache?: appsync.CfnApiCache;

  /** The compliance profile in force. */
  public readonly complianceProfile: ComplianceProfile;

  private readonly schema: SchemaModel;
  private readonly alarmSet: AlarmSet;
  private readonly managedRoles: boolean;
  private readonly resolversScope: Construct;
  private readonly dataSourcesScope: Construct;
  private readonly dataSources = new Map<string, { source: appsync.CfnDataSource; role: iam.Role; writes: boolean }>();
  private readonly resolvers = new Map<string, appsync.CfnResolver>();
  private readonly stepFunctions = new Map<string, { step: GraphqlStep; code: string; fn: appsync.CfnFunctionConfiguration }>();
  private functionsScope?: Construct;

  constructor(scope: Construct, id: string, props: SecureGraphqlApiProps) {
    super(scope, id);
    this.schema = validateGraphqlApiProps(this, props);
    const context = constructContext(this, props);
    this.alarmSet = context.alarms(Object.values(SECURE_GRAPHQL_API_ALARMS), props.alarms, 'SecureGraphqlApiAlarmsProps');
    this.complianceProfile = context.profile;
    this.managedRoles = context.traits.managedPolicies;
    const key = context.key(props.key);

    const modes = [props.authorization, ...(props.additionalAuthorizations ?? [])];
    this.api = new appsync.GraphqlApi(this, 'Api', {
      // Names need not be unique, but a unique one tells two APIs apart in the console.
      name: Names.uniqueResourceName(this, { maxLength: 65, separator: '-' }),
      // The schema text already parsed (CDK's SchemaFile would read a file again); GraphqlApi binds it to itself while it is constructed.
      definition: appsync.Definition.fromSchema({
        bind: (api) => ({ apiId: (api as appsync.GraphqlApi).apiId, definition: this.schema.definition }),
      }),
      authorizationConfig: authorizationConfig(this, modes),
      xrayEnabled: true,
      queryDepthLimit: props.queryDepthLimit ?? APPSYNC_DEFAULTS.queryDepthLimit,
      resolverCountLimit: props.resolverCountLimit ?? APPSYNC_DEFAULTS.resolverCountLimit,
      introspectionConfig: props.introspection === false ? appsync.IntrospectionConfig.DISABLED : appsync.IntrospectionConfig.ENABLED,
      // No logConfig here: CDK would add a LogRetention custom resource. The log group and role are made below.
    });
    const cfnApi = this.api.node.defaultChild as appsync.CfnGraphQLApi;
    applyAuthorization(this, this.api, modes);

    // Logs: the group AppSync would otherwise create itself without a retention, and a role for it alone.
    this.logGroup = retainedLogGroup(this, 'Logs', { logGroupName: `/aws/appsync/apis/${this.api.apiId}`, retention: props.logRetention, key });
    const logRole = serviceRole(this, 'LogRole', this.appsyncPrincipal(Stack.of(this).formatArn({ service: 'appsync', resource: 'apis', resourceName: '*' })),
      this.managedRoles, 'Lets AppSync write this API\'s logs');
    // No logs:CreateLogGroup (AppSync's documented policy has it on *): the group exists before AppSync writes.
    logRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [this.logGroup.logGroupArn],
    }));
    this.logRole = logRole;
    const verbose = props.logVerboseContent ?? false;
    cfnApi.logConfig = {
      cloudWatchLogsRoleArn: logRole.roleArn,
      fieldLogLevel: props.fieldLogLevel ?? APPSYNC_DEFAULTS.fieldLogLevel,
      excludeVerboseContent: !verbose,
    };
    if (!verbose) {
      acknowledge(cfnApi, KNOWN_FINDINGS.graphqlVerboseLogs);
    }

    // Firewall.
    const firewall = protectWithFirewall(this, props.firewall, key, this.api.arn, WARNINGS.graphqlNoFirewall);
    this.webAclArn = firewall?.webAclArn;
    this.webAcl = firewall?.webAcl;
    this.firewallLogGroup = firewall?.logGroup;

    // Cache: whole requests, keyed by the caller's identity and arguments (callers without an identity AppSync knows share answers).
    if (props.cache) {
      this.cache = new appsync.CfnApiCache(this, 'Cache', {
        apiId: this.api.apiId,
        apiCachingBehavior: 'FULL_REQUEST_CACHING',
        type: props.cache.size ?? GraphqlCacheSize.SMALL,
        ttl: (props.cache.ttl ?? APPSYNC_DEFAULTS.cacheTtl).toSeconds(),
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
      });
      // AppSync refuses changes to an API while its schema is being created.
      this.api.addSchemaDependency(this.cache);
      const lambdaMode = modes.findIndex((mode) => mode.authorizationType === appsync.AuthorizationType.LAMBDA);
      if (lambdaMode >= 0) {
        warn(this, WARNINGS.graphqlCacheLambdaIdentity, modeProp(lambdaMode));
      }
    }

    this.resolversScope = new Construct(this, 'Resolvers');
    this.dataSourcesScope = new Construct(this, 'DataSources');

    addGraphqlAlarms(this.alarmSet, this.api.apiId, shortPath(this));
    context.addSection('GraphQL API', ...graphqlWidgets(this.api.apiId));
  }

  /** The API's id. */
  public get apiId(): string {
    return this.api.apiId;
  }

  /** The API's ARN. */
  public get apiArn(): string {
    return this.api.arn;
  }

  /** The URL clients send queries and mutations to. */
  public get graphqlUrl(): string {
    return this.api.graphqlUrl;
  }

  /** The alarms created for this API. */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.alarmSet.alarms;
  }

  /**
   * Resolves a field with a resolver written for you on a `SecureTable` (get, query, put, update or
   * delete). The API gets one data source per table, whose role may read the table and, once a
   * resolver writes, write it (through the table's grants: its key only through DynamoDB).
   *
   * @param typeName the type (`Query`, `Mutation` or an object type)
   * @param fieldName the field
   * @param table the table
   * @param resolver what the resolver does
   */
  public addTableResolver(typeName: string, fieldName: string, table: SecureTable, resolver: TableResolver): appsync.CfnResolver {
    const target = this.target(typeName, fieldName);
    if (!(table instanceof SecureTable)) {
      throw BulwarkError.invalid(this, `table of ${typeName}.${fieldName}`, Construct.isConstruct(table) ? (table as Construct).node.path : table,
        'it must be a SecureTable');
    }
    const plan = tableResolverPlan(this, resolver, target, table);
    const dataSourceName = this.tableSource(table, plan.writes).attrName;
    return this.resolver(typeName, fieldName, { dataSourceName, runtime: JS_RUNTIME, code: plan.code });
  }

  /**
   * Resolves a field with a Lambda function, called directly (a direct Lambda resolver: the function
   * receives AppSync's context, with `arguments`, `identity` and `source`, and returns the field's
   * value). The API gets one data source per function, whose role may invoke only it.
   *
   * @param typeName the type (`Query`, `Mutation` or an object type)
   * @param fieldName the field
   * @param handler the function (a `SecureFunction`'s `lambdaFunction`, or any function)
   */
  public addFunctionResolver(typeName: string, fieldName: string, handler: lambda.IFunction): appsync.CfnResolver {
    this.target(typeName, fieldName);
    checkFunction(this, `handler of ${typeName}.${fieldName}`, handler);
    return this.resolver(typeName, fieldName, { dataSourceName: this.functionSource(handler).attrName });
  }

  /**
   * Resolves a field with a pipeline: its steps run in order (AppSync functions, at most 10), each
   * with the field's arguments and the previous step's result; the field returns the last step's
   * result. A step is made once per API and may serve several fields (a table step must then write
   * the same code for each).
   *
   * @param typeName the type (`Query`, `Mutation` or an object type)
   * @param fieldName the field
   * @param steps the steps, in order (`GraphqlStep.table()`, `GraphqlStep.lambdaFunction()`)
   */
  public addPipelineResolver(typeName: string, fieldName: string, steps: GraphqlStep[]): appsync.CfnResolver {
    const target = this.target(typeName, fieldName);
    const label = `steps of ${typeName}.${fieldName}`;
    if (!Array.isArray(steps) || steps.length === 0 || steps.length > PIPELINE_MAX_STEPS) {
      throw BulwarkError.invalid(this, label, Array.isArray(steps) ? `${steps.length} steps` : steps,
        `a pipeline has 1 to ${PIPELINE_MAX_STEPS} steps (AppSync's limit)`);
    }
    const functions = steps.map((step, i) => this.stepFunction(`${label}[${i}]`, step, target));
    return this.resolver(typeName, fieldName, {
      kind: 'PIPELINE',
      pipelineConfig: { functions: functions.map((f) => f.attrFunctionId) },
      runtime: JS_RUNTIME,
      code: PIPELINE_CODE,
    });
  }

  /**
   * Lets `grantee` run queries (IAM authorization), on the given fields or all of them.
   *
   * @param grantee who may query
   * @param fields fields of the Query type (none: every field)
   */
  public grantQuery(grantee: iam.IGrantable, ...fields: string[]): iam.Grant {
    return this.grantFields('grantQuery', this.schema.rootTypes.query, grantee, fields);
  }

  /**
   * Lets `grantee` run mutations (IAM authorization), on the given fields or all of them.
   *
   * @param grantee who may mutate
   * @param fields fields of the Mutation type (none: every field)
   */
  public grantMutation(grantee: iam.IGrantable, ...fields: string[]): iam.Grant {
    return this.grantFields('grantMutation', this.schema.rootTypes.mutation, grantee, fields);
  }

  /**
   * Lets `grantee` subscribe (IAM authorization), to the given fields or all of them.
   *
   * @param grantee who may subscribe
   * @param fields fields of the Subscription type (none: every field)
   */
  public grantSubscription(grantee: iam.IGrantable, ...fields: string[]): iam.Grant {
    return this.grantFields('grantSubscription', this.schema.rootTypes.subscription, grantee, fields);
  }

  /** `5XXError`, sum: requests AppSync failed to run. */
  public metricServerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return graphqlMetric(this.apiId, '5XXError', cloudwatch.Stats.SUM, props);
  }

  /** `4XXError`, sum: requests AppSync refused (invalid, unauthorized, throttled, over the limits). */
  public metricClientErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return graphqlMetric(this.apiId, '4XXError', cloudwatch.Stats.SUM, props);
  }

  /** `Latency`, p90: the time AppSync took to answer, in milliseconds. */
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return graphqlMetric(this.apiId, 'Latency', cloudwatch.Stats.percentile(90), props);
  }

  /** `appsync.amazonaws.com`, only for this account's APIs matching `sourceArn`. */
  private appsyncPrincipal(sourceArn: string): iam.IPrincipal {
    return new iam.PrincipalWithConditions(new iam.ServicePrincipal('appsync.amazonaws.com'), {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': sourceArn },
    });
  }

  private target(typeName: string, fieldName: string) {
    for (const [name, value] of [['typeName', typeName], ['fieldName', fieldName]]) {
      if (typeof value !== 'string' || value === '') {
        throw BulwarkError.invalid(this, name, value, 'it must name a type and field of the schema');
      }
    }
    const target = this.schema.field(typeName, fieldName);
    if (typeof target === 'string') {
      throw new BulwarkError(this, `no resolver can be added for ${typeName}.${fieldName}: ${target}`);
    }
    if (this.resolvers.has(`${typeName}.${fieldName}`)) {
      throw new BulwarkError(this, `${typeName}.${fieldName} already has a resolver: AppSync allows one per field`);
    }
    return target;
  }

  private dataSource(of: Construct, type: string, config: () => Partial<appsync.CfnDataSourceProps>, grant: (role: iam.Role) => void) {
    const key = Names.nodeUniqueId(of.node);
    let entry = this.dataSources.get(key);
    if (!entry) {
      const scope = new Construct(this.dataSourcesScope, key);
      const role = serviceRole(scope, 'Role', this.appsyncPrincipal(this.api.arn), this.managedRoles, `Lets AppSync reach ${of.node.path}`);
      grant(role);
      const source = new appsync.CfnDataSource(scope, 'Resource', {
        apiId: this.api.apiId,
        // [_A-Za-z][_0-9A-Za-z]*: the node's unique id, which is alphanumeric.
        name: `ds_${key}`.slice(0, 65536),
        type,
        serviceRoleArn: role.roleArn,
        ...config(),
      });
      entry = { source, role, writes: false };
      this.dataSources.set(key, entry);
    }
    return entry;
  }

  /** The data source of a table (one per table), whose role may read it, and write it once a resolver writes. */
  private tableSource(table: SecureTable, writes: boolean): appsync.CfnDataSource {
    const entry = this.dataSource(table, 'AMAZON_DYNAMODB', () => ({
      dynamoDbConfig: { tableName: table.tableName, awsRegion: table.table.env.region },
    }), (role) => table.grantReadData(role));
    if (writes && !entry.writes) {
      table.grantWriteData(entry.role);
      entry.writes = true;
    }
    return entry.source;
  }

  /** The data source of a function (one per function), whose role may invoke only it. */
  private functionSource(handler: lambda.IFunction): appsync.CfnDataSource {
    return this.dataSource(handler, 'AWS_LAMBDA', () => ({ lambdaConfig: { lambdaFunctionArn: handler.functionArn } }),
      (role) => role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [handler.functionArn] }))).source;
  }

  /** The AppSync function of a step for `target`: made once per API and name; a reuse must have the same code. */
  private stepFunction(label: string, step: GraphqlStep, target: SchemaField): appsync.CfnFunctionConfiguration {
    if (!(step instanceof GraphqlStep)) {
      throw BulwarkError.invalid(this, label, step, 'it must be a GraphqlStep (GraphqlStep.table() or GraphqlStep.lambdaFunction())');
    }
    if (typeof step.name !== 'string' || !FUNCTION_NAME.test(step.name)) {
      throw BulwarkError.invalid(this, `${label}: name`, step.name, 'an AppSync function name is letters, digits and _, not starting with a digit');
    }
    let dataSourceName: string;
    let code: string;
    if (step._handler !== undefined) {
      checkFunction(this, `${label}: handler`, step._handler);
      dataSourceName = this.functionSource(step._handler).attrName;
      code = LAMBDA_STEP_CODE;
    } else {
      const table = step._table;
      if (!(table instanceof SecureTable)) {
        throw BulwarkError.invalid(this, `${label}: table`, Construct.isConstruct(table) ? (table as Construct).node.path : table, 'it must be a SecureTable');
      }
      const plan = tableResolverPlan(this, step._resolver!, target, table);
      dataSourceName = this.tableSource(table, plan.writes).attrName;
      code = plan.code;
    }
    const made = this.stepFunctions.get(step.name);
    if (made) {
      if (made.step !== step && (made.step._handler !== step._handler || made.step._table !== step._table || made.code !== code)) {
        throw new BulwarkError(this, `${label}: another step is already named '${step.name}'; AppSync function names are unique per API`);
      }
      if (made.code !== code) {
        throw new BulwarkError(this, `${label}: step '${step.name}' writes other code for ${target.typeName}.${target.fieldName} than for the `
          + 'field it was first used for (their arguments differ); give this field a step of its own');
      }
      return made.fn;
    }
    this.functionsScope ??= new Construct(this, 'Functions');
    const fn = new appsync.CfnFunctionConfiguration(this.functionsScope, step.name, {
      apiId: this.api.apiId,
      name: step.name,
      dataSourceName,
      runtime: JS_RUNTIME,
      code,
    });
    this.api.addSchemaDependency(fn);
    this.stepFunctions.set(step.name, { step, code, fn });
    return fn;
  }

  private resolver(typeName: string, fieldName: string, props: Partial<appsync.CfnResolverProps>): appsync.CfnResolver {
    const resolver = new appsync.CfnResolver(this.resolversScope, `${typeName}.${fieldName}`, {
      apiId: this.api.apiId,
      typeName,
      fieldName,
      kind: 'UNIT',
      ...props,
    });
    this.api.addSchemaDependency(resolver);
    this.resolvers.set(`${typeName}.${fieldName}`, resolver);
    return resolver;
  }

  /** `appsync:GraphQL` on fields of a root type, by the name the schema gives it (CDK's grantQuery() assumes `Query`). */
  private grantFields(method: string, typeName: string | undefined, grantee: iam.IGrantable, fields: string[]): iam.Grant {
    if (!typeName) {
      throw new BulwarkError(this, `${method}(): the schema has no such root type, so there is nothing to grant`);
    }
    for (const field of fields) {
      const found = this.schema.field(typeName, field);
      if (typeof found === 'string') {
        throw new BulwarkError(this, `${method}() field ${BulwarkError.show(field)}: ${found}`);
      }
    }
    return this.api.grant(grantee, appsync.IamResource.ofType(typeName, ...fields), 'appsync:GraphQL');
  }
}
