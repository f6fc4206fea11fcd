import { Annotations, Stack } from 'aws-cdk-lib';
import { Annotations as AnnotationsOf, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ApiAuthorization, ApiMethod, ComplianceProfile, SecureApi, Workflow } from '../../src';
import { INLINE_CODE, newStack, thrownBy } from '../support/app';
import { actionsOn, logicalIdOf, resourceOf, stackKeyOf, statementsOf } from '../support/template';

// Routes that start a Workflow's execution. What their mapping templates make of real requests is
// rendered with Apache Velocity in test/consumers/java (WorkflowRouteTemplateTest).

const ACCOUNT_WARNING = 'cdk-bulwark:api:sets-account-cloudwatch-role';

function apiStack(profile?: ComplianceProfile): Stack {
  const stack = newStack({}, profile);
  Annotations.of(stack).acknowledgeWarning(ACCOUNT_WARNING, 'tested with SecureApi');
  return stack;
}

function workflow(stack: Stack, id = 'Workflow'): Workflow {
  return new Workflow(stack, id, { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)) });
}

function pool(stack: Stack, id = 'Pool'): cognito.IUserPool {
  return cognito.UserPool.fromUserPoolId(stack, id, 'eu-west-1_abcdefghi');
}

function methodOf(template: Template, api: SecureApi, method: string, path: string): any {
  const route = api.routes.find((r) => r.method === method && r.path === path);
  expect(route).toBeDefined();
  return resourceOf(template, route!.apiMethod).Properties;
}

/** The request template with the state machine's reference shown as `<ARN>`. */
function requestTemplateOf(method: any): string {
  const template = method.Integration.RequestTemplates['application/json'];
  return template['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : '<ARN>')).join('');
}

describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('a workflow route (%s)', (profile) => {
  const regulated = profile === ComplianceProfile.REGULATED;
  const stack = apiStack(profile);
  const fulfilment = workflow(stack, 'Fulfilment');
  const cancellation = workflow(stack, 'Cancellation');
  const api = new SecureApi(stack, 'Api', { userPool: pool(stack) });
  api.addWorkflowRoute(ApiMethod.POST, '/orders', fulfilment);
  api.addWorkflowRoute(ApiMethod.DELETE, '/orders/{orderId}', cancellation, { authorization: ApiAuthorization.iam() });
  const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
  api.grantInvoke(caller);
  const template = Template.fromStack(stack);
  const post = methodOf(template, api, 'POST', '/orders');

  test('API Gateway calls StartExecution itself, with a role of the API, and refuses bodies that are not JSON', () => {
    expect(post.Integration).toMatchObject({
      Type: 'AWS',
      IntegrationHttpMethod: 'POST',
      Credentials: { 'Fn::GetAtt': [logicalIdOf(api.node.findChild('WorkflowRole')), 'Arn'] },
      PassthroughBehavior: 'NEVER',
    });
    expect(stack.resolve(post.Integration.Uri)['Fn::Join'][1].join('')).toMatch(/:apigateway:eu-west-1:states:action\/StartExecution$/);
    expect(Object.keys(post.Integration.RequestTemplates)).toEqual(['application/json']);
  });

  test('the role is for API Gateway and may start only these workflows, using their key only through Step Functions', () => {
    const roleId = post.Integration.Credentials['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } },
    ]);
    const statements = statementsOf(template, api.node.findChild('WorkflowRole') as iam.IRole);
    for (const wf of [fulfilment, cancellation]) {
      expect(actionsOn(statements, stack.resolve(wf.stateMachine.stateMachineArn))).toEqual(['states:StartExecution']);
    }
    const keyStatements = statements.filter((s) => JSON.stringify(s.Action).includes('kms:'));
    if (regulated) {
      expect(keyStatements).toEqual([fulfilment, cancellation].map((wf) => expect.objectContaining({
        Action: 'kms:GenerateDataKey',
        Resource: stack.resolve(stackKeyOf(stack).keyArn),
        Condition: { StringEquals: { 'kms:ViaService': 'states.eu-west-1.amazonaws.com', 'kms:EncryptionContext:aws:states:stateMachineArn': stack.resolve(wf.stateMachine.stateMachineArn) } },
      })));
      // Customer-managed policies in REGULATED (HIPAA, NIST and PCI flag inline ones).
      expect(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })).toEqual({});
    } else {
      expect(keyStatements).toEqual([]);
    }
    expect(statements).toHaveLength(regulated ? 4 : 2);
  });

  test('the execution starts with the state machine, is named after the request id only in API Gateway\'s form, and gets body, path, caller and request id', () => {
    const vtl = requestTemplateOf(post);
    expect(vtl).toContain('{"stateMachineArn":"<ARN>"$name,"input":"$util.escapeJavaScript($execution).replaceAll($esq, $sq)"}');
    // A client can set the request id (X-Amzn-RequestId): it names the execution only as a UUID, and is escaped in the input.
    expect(vtl).toContain('#if($rawId.matches(\'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\'))#set($name = ",${q}name${q}:${q}$rawId${q}")#{else}#set($name = "")#end');
    expect(vtl).toContain('#set($requestId = $util.escapeJavaScript($rawId).replaceAll($esq, $sq))');
    expect(vtl).toContain('#set($caller = $util.escapeJavaScript("$!context.authorizer.claims.sub").replaceAll($esq, $sq))');
    expect(vtl).toContain('#set($execution = "{${q}body${q}:$body,${q}path${q}:{},${q}caller${q}:${q}$caller${q},${q}requestId${q}:${q}$requestId${q}}")');
    expect(post.Integration.RequestTemplates['application/json']['Fn::Join'][1]).toContainEqual(stack.resolve(fulfilment.stateMachine.stateMachineArn));

    const del = requestTemplateOf(methodOf(template, api, 'DELETE', '/orders/{orderId}'));
    expect(del).toContain('#set($p0 = $util.escapeJavaScript($path.get(\'orderId\')).replaceAll($esq, $sq))');
    expect(del).toContain('${q}path${q}:{${q}orderId${q}:${q}$p0${q}}');
    expect(del).toContain('#set($caller = $util.escapeJavaScript("$!context.identity.userArn").replaceAll($esq, $sq))');
  });

  test('the body must be a JSON object unless the route gives its own schema', () => {
    const model = template.toJSON().Resources[post.RequestModels.$default.Ref];
    expect(model.Properties).toMatchObject({ ContentType: 'application/json', Schema: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' } });
    expect(post.RequestValidatorId).toEqual({ Ref: logicalIdOf(api.requestValidator) });
  });

  test('202 with the execution name once started; Step Functions errors become 400, 409, 429 or 500 by their type', () => {
    expect(post.MethodResponses.map((r: any) => r.StatusCode)).toEqual(['202', '400', '409', '429', '500']);
    const [started, failed] = post.Integration.IntegrationResponses;
    expect(started.StatusCode).toBe('202');
    expect(started.SelectionPattern).toBeUndefined();
    expect(started.ResponseTemplates['application/json']).toContain('{"executionName":"$util.escapeJavaScript($arn.replaceAll(');
    expect(failed.StatusCode).toBe('500');
    expect(failed.SelectionPattern).toBe('[45]\\d{2}');
    const errors = failed.ResponseTemplates['application/json'];
    expect(errors).toMatch(/InvalidExecutionInput.*ValidationException.*InvalidName.*\n#set\(\$context\.responseOverride\.status = 400\)/);
    expect(errors).toMatch(/ExecutionAlreadyExists.*\n#set\(\$context\.responseOverride\.status = 409\)/);
    expect(errors).toMatch(/ThrottlingException.*ExecutionLimitExceeded.*\n#set\(\$context\.responseOverride\.status = 429\)/);
  });

  test('the role\'s grants are deployed before the method', () => {
    const dependsOn: string[] = resourceOf(template, api.routes[0].apiMethod).DependsOn ?? [];
    const role = api.node.findChild('WorkflowRole');
    const policy = role.node.tryFindChild(regulated ? 'GrantsPolicy' : 'DefaultPolicy')!;
    expect(dependsOn).toContain(logicalIdOf(policy));
  });

  test('the routes are authorized like any other, and grantInvoke covers the IAM one', () => {
    expect(post).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS' });
    expect(methodOf(template, api, 'DELETE', '/orders/{orderId}')).toMatchObject({ AuthorizationType: 'AWS_IAM' });
    const resources = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalIdOf(caller) }] } });
    expect(JSON.stringify(Object.values(resources)[0])).toContain('/DELETE/orders/*');
  });
});

describe('workflow routes with CORS', () => {
  function corsMethod(cors: apigateway.CorsOptions): any {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack), cors });
    api.addWorkflowRoute(ApiMethod.POST, '/orders', workflow(stack));
    return methodOf(Template.fromStack(stack), api, 'POST', '/orders');
  }

  test('one origin: every answer carries it, with Vary and credentials when allowed', () => {
    const method = corsMethod({ allowOrigins: ['https://app.example.com'], allowCredentials: true, exposeHeaders: ['X-Trace'] });
    const headers = {
      'method.response.header.Access-Control-Allow-Origin': '\'https://app.example.com\'',
      'method.response.header.Vary': '\'Origin\'',
      'method.response.header.Access-Control-Allow-Credentials': '\'true\'',
      'method.response.header.Access-Control-Expose-Headers': '\'X-Trace\'',
    };
    for (const response of method.Integration.IntegrationResponses) {
      expect(response.ResponseParameters).toEqual(headers);
      expect(response.ResponseTemplates['application/json']).not.toContain('responseOverride.header');
    }
    for (const response of method.MethodResponses) {
      expect(response.ResponseParameters).toEqual(Object.fromEntries(Object.keys(headers).map((h) => [h, true])));
    }
  });

  test('any origin: *, without Vary', () => {
    const method = corsMethod({ allowOrigins: ['*'] });
    expect(method.Integration.IntegrationResponses[0].ResponseParameters).toEqual({ 'method.response.header.Access-Control-Allow-Origin': '\'*\'' });
  });

  test('several origins: the request\'s Origin is echoed when listed', () => {
    const method = corsMethod({ allowOrigins: ['https://a.example.com', 'https://b.example.com'] });
    for (const response of method.Integration.IntegrationResponses) {
      expect(response.ResponseTemplates['application/json']).toContain(
        '#if($origin == "https://a.example.com" || $origin == "https://b.example.com")#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end');
    }
  });

  test('no CORS: no headers', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack) });
    api.addWorkflowRoute(ApiMethod.POST, '/orders', workflow(stack));
    const method = methodOf(Template.fromStack(stack), api, 'POST', '/orders');
    expect(method.Integration.IntegrationResponses.map((r: any) => r.ResponseParameters)).toEqual([undefined, undefined]);
  });
});

describe('workflow route options', () => {
  test('a route\'s own schema replaces the default', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack) });
    const route = api.addWorkflowRoute(ApiMethod.PUT, '/orders', workflow(stack), {
      requestSchema: { type: apigateway.JsonSchemaType.OBJECT, required: ['sku'] },
      requiredHeaders: ['Idempotency-Key'],
    });
    const template = Template.fromStack(stack);
    const method = resourceOf(template, route.apiMethod).Properties;
    expect(template.toJSON().Resources[method.RequestModels.$default.Ref].Properties.Schema).toEqual({
      $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['sku'],
    });
    expect(method.RequestParameters).toEqual({ 'method.request.header.Idempotency-Key': true });
  });

  test('an anonymous route has no caller in the input and is warned about', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack) });
    const route = api.addWorkflowRoute(ApiMethod.POST, '/signups', workflow(stack), { allowAnonymous: true });
    const template = Template.fromStack(stack);
    const method = resourceOf(template, route.apiMethod).Properties;
    expect(method.AuthorizationType).toBe('NONE');
    expect(requestTemplateOf(method)).not.toContain('caller');
    AnnotationsOf.fromStack(stack).hasWarning('/TestStack/Api/Routes/POST signups', Match.stringLikeRegexp('anonymous'));
  });

  test('two APIs in one stack each have their own role', () => {
    const stack = apiStack();
    const wf = workflow(stack);
    for (const id of ['One', 'Two']) {
      new SecureApi(stack, id, { userPool: pool(stack, `${id}Pool`) }).addWorkflowRoute(ApiMethod.POST, '/orders', wf);
    }
    const template = Template.fromStack(stack);
    const roles = template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'apigateway.amazonaws.com' } }] } } });
    expect(Object.keys(roles).filter((id) => id.includes('WorkflowRole'))).toHaveLength(2);
  });
});

describe('workflow route input errors', () => {
  /** What adding the route throws; `target` undefined means a Workflow. */
  function tryRoute(method: ApiMethod, target?: unknown, path = '/orders'): unknown {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack) });
    api.addRoute(ApiMethod.GET, '/orders', new lambda.Function(stack, 'Fn', { code: INLINE_CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X }));
    return thrownBy(() => api.addWorkflowRoute(method, path, (target === undefined ? workflow(stack) : target) as Workflow));
  }

  test.each([ApiMethod.GET, ApiMethod.HEAD, ApiMethod.OPTIONS, ApiMethod.ANY])('%s is refused: it could be sent again by browsers and caches', (method) => {
    expect(String(tryRoute(method, undefined, '/start'))).toMatch(new RegExp(`SecureApi 'TestStack/Api': method of route '${method} /start' is '${method}'; `
      + 'a route that starts a workflow must take POST, PUT, PATCH or DELETE: browsers, crawlers and caches take .* as safe to send on their own'));
  });

  test('a plain state machine, a function or nothing is refused, naming the prop', () => {
    const stack = apiStack();
    const machine = new sfn.StateMachine(stack, 'Plain', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
    for (const target of [machine, {}, null]) {
      expect(String(tryRoute(ApiMethod.POST, target, '/start'))).toMatch(/workflow of route 'POST \/start' is .*; it must be a Workflow of this library/);
    }
  });

  test('a conflicting route and a malformed path are refused like any route\'s', () => {
    expect(String(tryRoute(ApiMethod.POST, undefined, '/orders/'))).toMatch(/path of route 'POST \/orders\/' is '\/orders\/'; it must start with/);
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack) });
    const wf = workflow(stack);
    api.addWorkflowRoute(ApiMethod.POST, '/orders/{orderId}', wf);
    expect(() => api.addWorkflowRoute(ApiMethod.POST, '/orders/{id}', wf)).toThrow(/conflicts with route 'POST \/orders\/\{orderId\}'/);
  });

  test('bad options are refused as for any route', () => {
    const stack = apiStack();
    const api = new SecureApi(stack, 'Api', { userPool: pool(stack) });
    expect(() => api.addWorkflowRoute(ApiMethod.POST, '/orders', workflow(stack), { requestSchema: { type: 'objekt' as apigateway.JsonSchemaType } }))
      .toThrow(/requestSchema of route 'POST \/orders' is not a valid JSON schema: type 'objekt' is not one of/);
    expect(() => api.addWorkflowRoute(ApiMethod.POST, '/orders', workflow(stack, 'Other'), { apiKeyRequierd: true } as any))
      .toThrow(/apiKeyRequierd/);
  });
});
