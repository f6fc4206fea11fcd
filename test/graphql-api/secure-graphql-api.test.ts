import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Expiration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ORDERS_SCHEMA } from './schemas';
import {
  ComplianceProfile, GraphqlAuthorization, GraphqlCacheSize, GraphqlSchema, GraphqlStep, SecureFunction, SecureGraphqlApi, SecureGraphqlApiProps,
  SecureTable, TableResolver,
} from '../../src';
import { INLINE_CODE, newStack, thrownBy } from '../support/app';
import { expectProperties, resourceOf, stackKeyOf, statementsOf } from '../support/template';

const SCHEMA = GraphqlSchema.fromString(ORDERS_SCHEMA);

function pool(stack: Stack, id = 'Users'): cognito.UserPool {
  return new cognito.UserPool(stack, id);
}

function graph(stack: Stack, props: Partial<SecureGraphqlApiProps> = {}, id = 'Graph'): SecureGraphqlApi {
  return new SecureGraphqlApi(stack, id, { schema: SCHEMA, authorization: GraphqlAuthorization.userPool(pool(stack, `${id}Users`)), ...props });
}

function orders(stack: Stack, id = 'Orders'): SecureTable {
  const table = new SecureTable(stack, id, { partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING } });
  table.addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING } });
  return table;
}

function codeOf(template: Template, resolver: appsync.CfnResolver): string {
  return resourceOf(template, resolver).Properties.Code;
}

describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('SecureGraphqlApi defaults (%s)', (profile) => {
  const regulated = profile === ComplianceProfile.REGULATED;
  const stack = newStack({}, profile);
  const api = graph(stack);
  const template = Template.fromStack(stack);
  const cfnApi = api.api.node.defaultChild as appsync.CfnGraphQLApi;

  test('user pool authorization, X-Ray, depth and resolver limits, introspection on, error field logs without verbose content', () => {
    expectProperties(template, cfnApi, {
      AuthenticationType: 'AMAZON_COGNITO_USER_POOLS',
      AdditionalAuthenticationProviders: Match.absent(),
      XrayEnabled: true,
      QueryDepthLimit: 10,
      ResolverCountLimit: 1000,
      IntrospectionConfig: 'ENABLED',
      LogConfig: { CloudWatchLogsRoleArn: stack.resolve(api.logRole.roleArn), FieldLogLevel: 'ERROR', ExcludeVerboseContent: true },
    });
  });

  test('no API key and no custom resource: the log group is created here with the name AppSync writes to, retained, a year', () => {
    template.resourceCountIs('AWS::AppSync::ApiKey', 0);
    template.resourceCountIs('Custom::LogRetention', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expectProperties(template, api.logGroup, {
      LogGroupName: { 'Fn::Join': ['', ['/aws/appsync/apis/', stack.resolve(api.apiId)]] },
      RetentionInDays: 365,
      KmsKeyId: regulated ? stack.resolve(stackKeyOf(stack).keyArn) : Match.absent(),
    });
    // Named by AppSync: retained, but deleted if the deployment that creates it rolls back (a retry would find it in the way).
    expect(resourceOf(template, api.logGroup).DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  test('the log role is for AppSync in this account only and may write only that log group', () => {
    const role = resourceOf(template, api.logRole).Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({
      Principal: { Service: 'appsync.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: { 'aws:SourceArn': stack.resolve(stack.formatArn({ service: 'appsync', resource: 'apis', resourceName: '*' })) },
      },
    })]);
    expect(statementsOf(template, api.logRole)).toEqual([{
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: stack.resolve(api.logGroup.logGroupArn),
    }]);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  test('a REGIONAL web ACL is associated with the API', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: stack.resolve(api.apiArn), WebACLArn: stack.resolve(api.webAclArn) });
    expectProperties(template, api.webAcl!, { Scope: 'REGIONAL' });
  });

  test('alarms on 5XX and 4XX errors (sums) and p90 latency of this API', () => {
    expect(api.alarms.map((a) => a.node.id)).toEqual(['ServerErrorsAlarm', 'ClientErrorsAlarm', 'LatencyP90Alarm']);
    const props = api.alarms.map((a) => resourceOf(template, a).Properties);
    expect(props.map((p) => [p.MetricName, p.Statistic ?? p.ExtendedStatistic, p.Threshold, p.EvaluationPeriods, p.Period])).toEqual([
      ['5XXError', 'Sum', 0, 3, 60], ['4XXError', 'Sum', 50, 5, 60], ['Latency', 'p90', 2500, 5, 60],
    ]);
    for (const p of props) {
      expect(p.Namespace).toBe('AWS/AppSync');
      expect(p.Dimensions).toEqual([{ Name: 'GraphQLAPIId', Value: stack.resolve(api.apiId) }]);
      expect(p.AlarmActions).toHaveLength(1);
    }
  });

  test('the verbose-content finding is acknowledged on the API resource, as a harmful remedy', () => {
    const acks = JSON.stringify(cfnApi.node.metadata);
    expect(acks).toContain('AwsSolutions-ASC3');
    expect(acks).toContain('pack conflict or harmful remedy');
  });
});

describe('SecureGraphqlApi options', () => {
  test('verbose content, field level, retention, limits, introspection and cache are honoured; verbose content is not acknowledged', () => {
    const stack = newStack();
    const api = graph(stack, {
      logVerboseContent: true,
      fieldLogLevel: appsync.FieldLogLevel.ALL,
      logRetention: logs.RetentionDays.ONE_MONTH,
      queryDepthLimit: 5,
      resolverCountLimit: 200,
      introspection: false,
      cache: { size: GraphqlCacheSize.MEDIUM, ttl: Duration.minutes(1) },
    });
    const template = Template.fromStack(stack);
    const cfnApi = api.api.node.defaultChild as appsync.CfnGraphQLApi;
    expectProperties(template, cfnApi, {
      LogConfig: Match.objectLike({ FieldLogLevel: 'ALL', ExcludeVerboseContent: false }),
      QueryDepthLimit: 5,
      ResolverCountLimit: 200,
      IntrospectionConfig: 'DISABLED',
    });
    expect(JSON.stringify(cfnApi.node.metadata)).not.toContain('AwsSolutions-ASC3');
    expectProperties(template, api.logGroup, { RetentionInDays: 30 });
    expectProperties(template, api.cache!, {
      ApiId: stack.resolve(api.apiId),
      ApiCachingBehavior: 'FULL_REQUEST_CACHING',
      Type: 'MEDIUM',
      Ttl: 60,
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
    });
    expect(resourceOf(template, api.cache!).DependsOn).toEqual([expect.stringMatching(/^GraphApiSchema/)]);
  });

  test('a cache with a Lambda authorizer warns that its callers share answers unless it returns their id', () => {
    const stack = newStack();
    const authorizer = new SecureFunction(stack, 'Authorizer', { code: INLINE_CODE, handler: 'index.handler' });
    graph(stack, { additionalAuthorizations: [GraphqlAuthorization.lambdaAuthorizer(authorizer.lambdaFunction)], cache: {} });
    Annotations.fromStack(stack).hasWarning('/TestStack/Graph',
      Match.stringLikeRegexp('Lambda authorizer \\(additionalAuthorizations\\[0\\]\\).*cdk-bulwark:graphql-api:cache-lambda-identity'));
  });

  test('no cache by default', () => {
    const stack = newStack();
    expect(graph(stack).cache).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::AppSync::ApiCache', 0);
  });

  test('firewall off: no web ACL and a warning; a brought web ACL is associated', () => {
    const stack = newStack();
    const off = graph(stack, { firewall: { enabled: false } }, 'Off');
    const arn = 'arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/shared/abc';
    const brought = graph(stack, { firewall: { webAclArn: arn } }, 'Brought');
    const template = Template.fromStack(stack);
    expect(off.webAclArn).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/TestStack/Off', Match.stringLikeRegexp('cdk-bulwark:graphql-api:no-firewall'));
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: stack.resolve(brought.apiArn), WebACLArn: arn });
  });

  test('additional modes: IAM, OIDC, a Lambda authorizer only this API may call, and an API key with its expiry and a warning', () => {
    const stack = newStack();
    const authorizer = new SecureFunction(stack, 'Authorizer', { code: INLINE_CODE, handler: 'index.handler' });
    const expires = Expiration.after(Duration.days(30));
    const api = graph(stack, {
      additionalAuthorizations: [
        GraphqlAuthorization.iam(),
        GraphqlAuthorization.oidc({ issuer: 'https://login.example.com', clientId: 'app', tokenExpiryFromAuth: Duration.hours(1) }),
        GraphqlAuthorization.lambdaAuthorizer(authorizer.lambdaFunction, { resultsCacheTtl: Duration.minutes(1), validationRegex: '^Bearer .+' }),
        GraphqlAuthorization.apiKey({ expires, description: 'public catalogue' }),
      ],
    });
    const template = Template.fromStack(stack);
    expectProperties(template, api.api.node.defaultChild as appsync.CfnGraphQLApi, {
      AdditionalAuthenticationProviders: [
        { AuthenticationType: 'AWS_IAM' },
        { AuthenticationType: 'OPENID_CONNECT', OpenIDConnectConfig: { Issuer: 'https://login.example.com', ClientId: 'app', AuthTTL: 3600000 } },
        {
          AuthenticationType: 'AWS_LAMBDA',
          LambdaAuthorizerConfig: {
            AuthorizerUri: stack.resolve(authorizer.lambdaFunction.functionArn), AuthorizerResultTtlInSeconds: 60, IdentityValidationExpression: '^Bearer .+',
          },
        },
        { AuthenticationType: 'API_KEY' },
      ],
    });
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'appsync.amazonaws.com',
      FunctionName: stack.resolve(authorizer.lambdaFunction.functionArn),
      SourceArn: stack.resolve(api.apiArn),
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    template.hasResourceProperties('AWS::AppSync::ApiKey', { Expires: expires.toEpoch(), Description: 'public catalogue' });
    Annotations.fromStack(stack).hasWarning('/TestStack/Graph', Match.stringLikeRegexp('^additionalAuthorizations\\[3\\] uses an API key.*cdk-bulwark:graphql-api:api-key'));
  });

  test('one authorizer function serves two APIs: each has its own permission', () => {
    const stack = newStack();
    const authorizer = new SecureFunction(stack, 'Authorizer', { code: INLINE_CODE, handler: 'index.handler' });
    const a = graph(stack, { authorization: GraphqlAuthorization.lambdaAuthorizer(authorizer.lambdaFunction) }, 'A');
    const b = graph(stack, { authorization: GraphqlAuthorization.lambdaAuthorizer(authorizer.lambdaFunction) }, 'B');
    const template = Template.fromStack(stack);
    for (const api of [a, b]) {
      template.hasResourceProperties('AWS::Lambda::Permission', { SourceArn: stack.resolve(api.apiArn) });
    }
  });

  test('a user pool from another region keeps its region', () => {
    const stack = newStack();
    const api = graph(stack, { authorization: GraphqlAuthorization.userPool(cognito.UserPool.fromUserPoolId(stack, 'Far', 'eu-west-1_abc123')) });
    expectProperties(Template.fromStack(stack), api.api.node.defaultChild as appsync.CfnGraphQLApi, {
      UserPoolConfig: { UserPoolId: 'eu-west-1_abc123', AwsRegion: 'eu-west-1', DefaultAction: 'ALLOW' },
    });
  });

  test('a brought key encrypts the log group', () => {
    const stack = newStack();
    const own = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const api = graph(stack, { key: own });
    expectProperties(Template.fromStack(stack), api.logGroup, { KmsKeyId: stack.resolve(own.keyArn) });
  });

  test('two APIs in one stack do not collide', () => {
    const stack = newStack();
    const a = graph(stack, {}, 'A');
    const b = graph(stack, {}, 'B');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::AppSync::GraphQLApi', 2);
    expect(stack.resolve(a.logGroup.logGroupName)).not.toEqual(stack.resolve(b.logGroup.logGroupName));
    expect(resourceOf(template, a.api.node.defaultChild as appsync.CfnGraphQLApi).Properties.Name)
      .not.toEqual(resourceOf(template, b.api.node.defaultChild as appsync.CfnGraphQLApi).Properties.Name);
  });

  test('a schema from a file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'schema-')), 'schema.graphql');
    fs.writeFileSync(file, ORDERS_SCHEMA);
    const stack = newStack();
    graph(stack, { schema: GraphqlSchema.fromFile(file) });
    Template.fromStack(stack).hasResourceProperties('AWS::AppSync::GraphQLSchema', { Definition: ORDERS_SCHEMA });
  });
});

describe('SecureGraphqlApi resolvers', () => {
  const stack = newStack();
  const api = graph(stack);
  const table = orders(stack);
  const reader = new SecureFunction(stack, 'Search', { code: INLINE_CODE, handler: 'index.handler' });
  const get = api.addTableResolver('Query', 'order', table, TableResolver.getItem());
  const query = api.addTableResolver('Query', 'ordersOfCustomer', table, TableResolver.query({ indexName: 'byCustomer', maxItems: 50 }));
  const put = api.addTableResolver('Mutation', 'createOrder', table, TableResolver.putItem({ generatePartitionKey: true }));
  const update = api.addTableResolver('Mutation', 'updateOrder', table, TableResolver.updateItem());
  const remove = api.addTableResolver('Mutation', 'deleteOrder', table, TableResolver.deleteItem());
  const search = api.addFunctionResolver('Query', 'search', reader.lambdaFunction);
  const template = Template.fromStack(stack);

  test('table resolvers are APPSYNC_JS unit resolvers on one data source for the table, after the schema', () => {
    const sources = template.findResources('AWS::AppSync::DataSource', { Properties: { Type: 'AMAZON_DYNAMODB' } });
    expect(Object.values(sources).map((s: any) => s.Properties.DynamoDBConfig)).toEqual([
      { TableName: stack.resolve(table.tableName), AwsRegion: stack.resolve(stack.region) },
    ]);
    const [sourceId] = Object.keys(sources);
    for (const resolver of [get, query, put, update, remove]) {
      const r = resourceOf(template, resolver);
      expect(r.Properties).toMatchObject({ Kind: 'UNIT', Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' }, DataSourceName: { 'Fn::GetAtt': [sourceId, 'Name'] } });
      expect(r.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^GraphApiSchema/)]));
    }
  });

  test('getItem reads by the key argument', () => {
    expect(codeOf(template, get)).toContain('return ddb.get({ key: { "orderId": ctx.args.orderId } });');
  });

  test('query pages through the index, never more than maxItems', () => {
    expect(codeOf(template, query)).toContain('return ddb.query({ index: "byCustomer", query: { "customerId": { eq: ctx.args.customerId } }, '
      + 'limit: ctx.args.limit ? Math.min(Math.max(ctx.args.limit, 1), 50) : 50, nextToken: ctx.args.nextToken, scanIndexForward: true });');
    expect(codeOf(template, query)).toContain('return { items: ctx.result.items, nextToken: ctx.result.nextToken };');
  });

  test('a query keyed by the caller lists only the caller\'s own items, and refuses callers without a sub', () => {
    const s = newStack();
    const g = graph(s);
    const mine = g.addTableResolver('Query', 'myOrders', orders(s), TableResolver.query({ indexName: 'byCustomer', partitionKeyFromCaller: true }));
    const code = codeOf(Template.fromStack(s), mine);
    expect(code).toContain('  if (!ctx.identity || !ctx.identity.sub) {\n    util.unauthorized();\n  }\n');
    expect(code).toContain('query: { "customerId": { eq: ctx.identity.sub } }');
  });

  test('putItem generates the key and never overwrites; updateItem and deleteItem only touch an existing item', () => {
    expect(codeOf(template, put)).toContain('    if (value !== null) {\n      item[name] = value;\n    }\n');
    expect(codeOf(template, put)).toContain('ddb.put({ key: { "orderId": util.autoId() }, item, condition: { "orderId": { attributeExists: false } } })');
    expect(codeOf(template, update)).toContain('const { orderId: key0, ...values } = ctx.args.input;');
    expect(codeOf(template, update)).toContain('update[name] = value === null ? ddb.operations.remove() : typeof value === \'object\' ? ddb.operations.replace(value) : value;');
    expect(codeOf(template, update)).toContain('const condition = { "orderId": { attributeExists: true } };\n  return ddb.update({ key: { "orderId": key0 }, update, condition });');
    expect(codeOf(template, remove)).toContain('ddb.remove({ key: { "orderId": ctx.args.orderId }, condition: { "orderId": { attributeExists: true } } })');
  });

  test('the table data source role: AppSync for this API only, reads and writes through the table grants', () => {
    const roleId = Object.keys(template.findResources('AWS::IAM::Role', {
      Properties: { Description: Match.stringLikeRegexp('Orders') },
    }))[0];
    const role = template.toJSON().Resources[roleId].Properties;
    expect(role.AssumeRolePolicyDocument.Statement[0].Condition.ArnLike).toEqual({ 'aws:SourceArn': stack.resolve(api.apiArn) });
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => p.Properties.Roles[0].Ref === roleId)
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => s.Action));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
    expect(actions).not.toContain('dynamodb:*');
  });

  test('a Lambda resolver is a direct resolver on a data source whose role may invoke only that function', () => {
    const r = resourceOf(template, search).Properties;
    expect(r.Code).toBeUndefined();
    expect(r.RequestMappingTemplate).toBeUndefined();
    template.hasResourceProperties('AWS::AppSync::DataSource', {
      Type: 'AWS_LAMBDA', LambdaConfig: { LambdaFunctionArn: stack.resolve(reader.lambdaFunction.functionArn) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: stack.resolve(reader.lambdaFunction.functionArn) }] },
    });
  });

  test('a read-only table gets no write actions', () => {
    const s = newStack();
    const g = graph(s);
    const t = orders(s);
    g.addTableResolver('Query', 'order', t, TableResolver.getItem());
    const actions = Object.values(Template.fromStack(s).findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat()));
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions).not.toContain('dynamodb:PutItem');
  });

  test('subscriptions follow mutations: the schema keeps @aws_subscribe and the mutation it names has a resolver', () => {
    const definition = template.findResources('AWS::AppSync::GraphQLSchema');
    expect((Object.values(definition)[0] as any).Properties.Definition).toContain('onCreateOrder: Order @aws_subscribe(mutations: ["createOrder"])');
    expect(resourceOf(template, put).Properties).toMatchObject({ TypeName: 'Mutation', FieldName: 'createOrder' });
  });

  test('grants: appsync:GraphQL on the named fields', () => {
    const s = newStack();
    const g = graph(s);
    const role = new iam.Role(s, 'Client', { assumedBy: new iam.AccountRootPrincipal() });
    g.grantQuery(role, 'order');
    g.grantMutation(role);
    g.grantSubscription(role, 'onCreateOrder');
    const statements = statementsOf(Template.fromStack(s), role);
    expect(statements.map((st: any) => st.Action)).toEqual(['appsync:GraphQL', 'appsync:GraphQL', 'appsync:GraphQL']);
    expect(JSON.stringify(s.resolve(statements))).toContain('/types/Query/fields/order');
    expect(JSON.stringify(s.resolve(statements))).toContain('/types/Subscription/fields/onCreateOrder');
  });

  test('a function in REGULATED\'s isolated subnets granted a query is warned that it cannot reach a public API', () => {
    const s = newStack({}, ComplianceProfile.REGULATED);
    const g = graph(s);
    const client = new SecureFunction(s, 'Client', { code: INLINE_CODE, handler: 'index.handler' });
    g.grantQuery(client, 'order');
    Annotations.fromStack(s).hasWarning('/TestStack/Client', Match.stringLikeRegexp('appsync.*appsync-api endpoint with private DNS.*cdk-bulwark:function:no-endpoint'));
  });

  test('grants follow renamed root types', () => {
    const s = newStack();
    const g = graph(s, { schema: GraphqlSchema.fromString('schema { query: Reads } type Reads { order: Int }') });
    const role = new iam.Role(s, 'Client', { assumedBy: new iam.AccountRootPrincipal() });
    g.grantQuery(role, 'order');
    expect(JSON.stringify(s.resolve(statementsOf(Template.fromStack(s), role)))).toContain('/types/Reads/fields/order');
    expect(() => g.grantMutation(role)).toThrow(/grantMutation\(\): the schema has no such root type/);
  });

  test('each data source role is granted once, however many resolvers use it', () => {
    const s = newStack();
    const g = graph(s);
    const t = orders(s);
    g.addTableResolver('Query', 'order', t, TableResolver.getItem());
    g.addTableResolver('Mutation', 'createOrder', t, TableResolver.putItem({ generatePartitionKey: true }));
    g.addTableResolver('Mutation', 'updateOrder', t, TableResolver.updateItem());
    g.addTableResolver('Mutation', 'deleteOrder', t, TableResolver.deleteItem());
    const statements = Object.values(Template.fromStack(s).findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement.map((st: any) => JSON.stringify(st)));
    expect(new Set(statements).size).toBe(statements.length);
  });
});

describe('SecureGraphqlApi pipeline resolvers', () => {
  test('steps run in order as AppSync functions; the field returns the last step\'s result', () => {
    const stack = newStack();
    const api = graph(stack);
    const table = orders(stack);
    const check = new SecureFunction(stack, 'CheckStock', { code: INLINE_CODE, handler: 'index.handler' });
    const resolver = api.addPipelineResolver('Mutation', 'createOrder', [
      GraphqlStep.lambdaFunction('checkStock', check.lambdaFunction),
      GraphqlStep.table('putOrder', table, TableResolver.putItem({ generatePartitionKey: true })),
    ]);
    const template = Template.fromStack(stack);
    const functions = template.findResources('AWS::AppSync::FunctionConfiguration');
    const ids = Object.keys(functions);
    expect(Object.values(functions).map((f: any) => f.Properties.Name)).toEqual(['checkStock', 'putOrder']);
    const r = resourceOf(template, resolver);
    expect(r.Properties).toMatchObject({
      Kind: 'PIPELINE',
      PipelineConfig: { Functions: ids.map((id) => ({ 'Fn::GetAtt': [id, 'FunctionId'] })) },
      Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' },
    });
    expect(r.Properties.Code).toContain('return ctx.prev.result;');
    expect(r.Properties.DataSourceName).toBeUndefined();
    const [lambdaStep, tableStep] = Object.values(functions) as any[];
    expect(lambdaStep.Properties.Code).toContain("operation: 'Invoke', payload: { arguments: ctx.args, identity: ctx.identity, source: ctx.source, prev: ctx.prev.result }");
    expect(tableStep.Properties.Code).toContain('ddb.put(');
    for (const f of Object.values(functions) as any[]) {
      expect(f.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^GraphApiSchema/)]));
    }
    // The table's data source may write now.
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat()));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'lambda:InvokeFunction']));
  });

  test('a step serves several fields when its code is the same for each, and is made once', () => {
    const stack = newStack();
    const api = graph(stack);
    const check = new SecureFunction(stack, 'Check', { code: INLINE_CODE, handler: 'index.handler' });
    const step = GraphqlStep.lambdaFunction('check', check.lambdaFunction);
    api.addPipelineResolver('Mutation', 'createOrder', [step]);
    api.addPipelineResolver('Mutation', 'updateOrder', [step]);
    Template.fromStack(stack).resourceCountIs('AWS::AppSync::FunctionConfiguration', 1);
  });

  const fnOf = (stack: Stack, id: string) => new SecureFunction(stack, id, { code: INLINE_CODE, handler: 'index.handler' }).lambdaFunction;
  test.each<[string, (api: SecureGraphqlApi, stack: Stack, table: SecureTable) => void, RegExp]>([
    ['no steps', (api) => api.addPipelineResolver('Query', 'order', []), /steps of Query.order is '0 steps'; a pipeline has 1 to 10 steps/],
    ['11 steps', (api, stack) => {
      const step = GraphqlStep.lambdaFunction('s', fnOf(stack, 'F'));
      api.addPipelineResolver('Query', 'order', Array.from({ length: 11 }, () => step));
    }, /'11 steps'; a pipeline has 1 to 10 steps/],
    ['a bad function name', (api, stack) => api.addPipelineResolver('Query', 'order', [GraphqlStep.lambdaFunction('check-stock', fnOf(stack, 'F'))]), /name is 'check-stock'; an AppSync function name is letters/],
    ['two steps of one name', (api, stack) => api.addPipelineResolver('Query', 'order', [GraphqlStep.lambdaFunction('s', fnOf(stack, 'F')), GraphqlStep.lambdaFunction('s', fnOf(stack, 'G'))]), /another step is already named 's'/],
    ['a table step used where it writes other code', (api, stack, table) => {
      const get = GraphqlStep.table('getOrder', table, TableResolver.getItem());
      api.addPipelineResolver('Query', 'order', [get]);
      api.addPipelineResolver('Mutation', 'deleteOrder', [GraphqlStep.lambdaFunction('x', fnOf(stack, 'F')), get]);
      const page = GraphqlStep.table('page', table, TableResolver.query({ indexName: 'byCustomer', partitionKeyFromCaller: true }));
      api.addPipelineResolver('Query', 'myOrders', [page]);
      api.addPipelineResolver('Query', 'ordersOfCustomer', [page]);
      api.addPipelineResolver('Query', 'recentOrders', [page]);
    }, /steps of Query.recentOrders\[0\]: step 'page' writes other code for Query.recentOrders than for the field it was first used for/],
    ['a table step on a field it does not fit', (api, _stack, table) => api.addPipelineResolver('Query', 'search', [GraphqlStep.table('get', table, TableResolver.getItem())]), /Query.search: it has no argument 'orderId'/],
    ['not a step', (api) => api.addPipelineResolver('Query', 'order', [{} as GraphqlStep]), /steps of Query.order\[0\] is \{\}; it must be a GraphqlStep/],
  ])('refused: %s', (_name, act, message) => {
    const stack = newStack();
    const api = graph(stack);
    const table = orders(stack);
    expect(thrownBy(() => act(api, stack, table))).toEqual(expect.objectContaining({ message: expect.stringMatching(message) }));
  });
});

describe('SecureGraphqlApi invalid input', () => {
  const fn = () => new lambda.Function(newStack(), 'F', { code: INLINE_CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
  test.each<[string, (stack: Stack) => Partial<SecureGraphqlApiProps>, RegExp]>([
    ['malformed schema', () => ({ schema: GraphqlSchema.fromString('type Query { order(: ID): Order') }), /schema \(string\) is not valid GraphQL: Expected Name, found ":" \(line 1, column 20\)/],
    ['unknown type', () => ({ schema: GraphqlSchema.fromString('type Query { order: Order }') }), /is not a valid schema: Unknown type "Order"/],
    ['no Query type', () => ({ schema: GraphqlSchema.fromString('type Mutation { a: Int }') }), /has no Query type/],
    ['missing file', () => ({ schema: GraphqlSchema.fromFile('/nonexistent/schema.graphql') }), /schema \(file '\/nonexistent\/schema.graphql'\): it cannot be read/],
    ['subscription to a missing mutation', () => ({
      schema: GraphqlSchema.fromString('type Query { a: Int } type Mutation { b: Int } '
      + 'type Subscription { s: Int @aws_subscribe(mutations: ["nope"]) }'),
    }), /names mutation 'nope', which the schema does not have/],
    ['subscription of another type', () => ({
      schema: GraphqlSchema.fromString('type Query { a: Int } type Mutation { b: Int } '
      + 'type Subscription { s: String @aws_subscribe(mutations: ["b"]) }'),
    }), /Subscription.s returns String but follows mutation 'b', which returns Int/],
    ['API key expiry too far', () => ({ authorization: GraphqlAuthorization.apiKey({ expires: Expiration.after(Duration.days(400)) }) }), /expires is '.*'; give an expiry 2 to 365 days from now/],
    ['API key expiry of a day, under AppSync\'s minimum by deployment', () => ({ authorization: GraphqlAuthorization.apiKey({ expires: Expiration.after(Duration.days(1)) }) }), /give an expiry 2 to 365 days/],
    ['API key expiry that is no date', () => ({ authorization: GraphqlAuthorization.apiKey({ expires: Expiration.fromString('someday') }) }), /expires is 'Invalid Date'; it is not a date/],
    ['a custom scalar', () => ({ schema: GraphqlSchema.fromString('scalar Money type Query { price: Money }') }), /declares scalar Money \(line 1, column 1\): AppSync supports no custom scalars/],
    ['AppSync\'s own scalar declared again', () => ({ schema: GraphqlSchema.fromString('type Query { at: AWSDateTime }\nscalar AWSDateTime') }), /declares scalar AWSDateTime \(line 2, column 1\)/],
    ['one user pool imported twice', (stack) => ({
      authorization: GraphqlAuthorization.userPool(cognito.UserPool.fromUserPoolId(stack, 'P1', 'eu-west-1_abc')),
      additionalAuthorizations: [GraphqlAuthorization.userPool(cognito.UserPool.fromUserPoolId(stack, 'P2', 'eu-west-1_abc'))],
    }), /additionalAuthorizations\[0\] repeats authorization \(AMAZON_COGNITO_USER_POOLS eu-west-1_abc\)/],
    ['API key without expiry', () => ({ authorization: GraphqlAuthorization.apiKey({} as any) }), /an API key must expire/],
    ['IAM twice', () => ({ authorization: GraphqlAuthorization.iam(), additionalAuthorizations: [GraphqlAuthorization.iam()] }), /additionalAuthorizations\[0\] repeats authorization \(AWS_IAM\)/],
    ['two Lambda authorizers', () => ({ additionalAuthorizations: [GraphqlAuthorization.lambdaAuthorizer(fn()), GraphqlAuthorization.lambdaAuthorizer(fn())] }), /repeats additionalAuthorizations\[0\] \(AWS_LAMBDA\)/],
    ['an OIDC issuer over HTTP', () => ({ authorization: GraphqlAuthorization.oidc({ issuer: 'http://login.example.com' }) }), /issuer is 'http:\/\/login.example.com'; it must be the HTTPS URL/],
    ['authorizer cache over an hour', () => ({ authorization: GraphqlAuthorization.lambdaAuthorizer(fn(), { resultsCacheTtl: Duration.hours(2) }) }), /resultsCacheTtl/],
    ['no authorization', () => ({ authorization: undefined }), /authorization is required/],
    ['query depth 0', () => ({ queryDepthLimit: 0 }), /queryDepthLimit is 0; it must be an integer from 1 to 75/],
    ['query depth 76', () => ({ queryDepthLimit: 76 }), /queryDepthLimit is 76/],
    ['resolver count 10001', () => ({ resolverCountLimit: 10001 }), /resolverCountLimit is 10001; it must be an integer from 1 to 10000/],
    ['cache ttl of 2 hours', () => ({ cache: { ttl: Duration.hours(2) } }), /cache.ttl/],
    ['cache size unknown', () => ({ cache: { size: 'HUGE' as GraphqlCacheSize } }), /cache.size is 'HUGE'; it must be a GraphqlCacheSize value/],
    ['unknown prop', () => ({ logLevel: 'ALL' } as any), /logLevel/],
    ['retention forever', () => ({ logRetention: logs.RetentionDays.INFINITE }), /logRetention is INFINITE/],
    ['verbose not a boolean', () => ({ logVerboseContent: 'yes' as any }), /logVerboseContent is 'yes'; it must be true or false/],
  ])('%s', (_name, props, message) => {
    const stack = newStack();
    expect(thrownBy(() => graph(stack, props(stack)))).toEqual(expect.objectContaining({ message: expect.stringMatching(message) }));
    expect((thrownBy(() => graph(newStack(), props(newStack()))) as Error).message).toMatch(/^SecureGraphqlApi '/);
  });

  const resolverCases: Array<[string, (api: SecureGraphqlApi, table: SecureTable) => void, RegExp]> = [
    ['a type the schema lacks', (api, table) => api.addTableResolver('Querry', 'order', table, TableResolver.getItem()), /no resolver can be added for Querry.order: the schema has no object type 'Querry'/],
    ['a field the schema lacks', (api, table) => api.addTableResolver('Query', 'orders', table, TableResolver.getItem()), /type Query of the schema has no field 'orders'/],
    ['a second resolver for a field', (api, table) => {
      api.addTableResolver('Query', 'order', table, TableResolver.getItem());
      api.addTableResolver('Query', 'order', table, TableResolver.getItem());
    }, /Query.order already has a resolver/],
    ['a key argument the field lacks', (api, table) => api.addTableResolver('Query', 'order', table, TableResolver.getItem({ partitionKeyArgument: 'id' })), /Query.order: it has no argument 'id'; it has orderId/],
    ['a sort key the table lacks', (api, table) => api.addTableResolver('Query', 'order', table, TableResolver.getItem({ sortKeyArgument: 'orderId' })), /has no sort key/],
    ['an index the table lacks', (api, table) => api.addTableResolver('Query', 'ordersOfCustomer', table, TableResolver.query({ indexName: 'byStatus' })), /indexName is 'byStatus', but table .* has only the indexes byCustomer/],
    ['a query that returns no page', (api, table) => api.addTableResolver('Query', 'order', table, TableResolver.query()), /a query resolver returns a page/],
    ['a key argument of the wrong type', (api) => {
      const numbered = new SecureTable(api, 'Numbered', { partitionKey: { name: 'orderId', type: dynamodb.AttributeType.NUMBER } });
      api.addTableResolver('Query', 'order', numbered, TableResolver.getItem());
    }, /argument 'orderId' is ID!, but key attribute 'orderId' .* is of type N/],
    ['a put whose input lacks the key', (api, table) => api.addTableResolver('Mutation', 'createOrder', table, TableResolver.putItem()), /input NewOrder has no field 'orderId', the partition key/],
    ['a generated key the input also has', (api, table) => api.addTableResolver('Mutation', 'updateOrder', table, TableResolver.putItem({ generatePartitionKey: true })), /input OrderUpdate has a field 'orderId'/],
    ['an input argument that is not an input type', (api, table) => api.addTableResolver('Mutation', 'deleteOrder', table, TableResolver.updateItem({ inputArgument: 'orderId' })), /argument 'orderId' is ID!; it must be an input type/],
    ['the caller\'s id and an argument', (api, table) => api.addTableResolver('Query', 'myOrders', table,
      TableResolver.query({ indexName: 'byCustomer', partitionKeyFromCaller: true, partitionKeyArgument: 'limit' })), /partitionKeyFromCaller and partitionKeyArgument cannot be set together/],
    ['the caller\'s id for a number key', (api) => {
      const numbered = new SecureTable(api, 'Numbered', { partitionKey: { name: 'customerId', type: dynamodb.AttributeType.NUMBER } });
      api.addTableResolver('Query', 'myOrders', numbered, TableResolver.query({ partitionKeyFromCaller: true }));
    }, /partitionKeyFromCaller uses the caller's id \(a string\), but the partition key 'customerId' is of type N/],
    ['a nullable key argument', (api, table) => api.addTableResolver('Query', 'search', table, TableResolver.getItem({ partitionKeyArgument: 'text' })), /argument 'text' is String, which may be null or left out; a key value must be there: make it String!/],
    ['maxItems 0', (api, table) => api.addTableResolver('Query', 'ordersOfCustomer', table, TableResolver.query({ indexName: 'byCustomer', maxItems: 0 })), /maxItems of Query.ordersOfCustomer is 0/],
    ['not a table', (api) => api.addTableResolver('Query', 'order', {} as SecureTable, TableResolver.getItem()), /it must be a SecureTable/],
    ['not a function', (api) => api.addFunctionResolver('Query', 'search', {} as lambda.IFunction), /handler of Query.search .* it must be a Lambda function/],
    ['a grant on a field the schema lacks', (api) => api.grantQuery(new iam.Role(api, 'R', { assumedBy: new iam.AccountRootPrincipal() }), 'nope'), /grantQuery\(\) field 'nope'/],
  ];
  test.each(resolverCases)('resolver: %s', (_name, act, message) => {
    const stack = newStack();
    const api = graph(stack);
    const table = orders(stack);
    expect(thrownBy(() => act(api, table))).toEqual(expect.objectContaining({ message: expect.stringMatching(message) }));
  });

  test('unknown directives are left to AppSync (merged APIs add their own)', () => {
    expect(() => graph(newStack(), { schema: GraphqlSchema.fromString('type Query { a: Int @canonical }') })).not.toThrow();
  });

  test('AppSync scalars are known', () => {
    expect(() => graph(newStack(), { schema: GraphqlSchema.fromString('type Query { at: AWSDateTime, json: AWSJSON }') })).not.toThrow();
  });
});

