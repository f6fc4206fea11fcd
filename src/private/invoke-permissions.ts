import { Aspects, Aws, CfnParameter, IAspect, Stack, Stage, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

// The construct kit: for every function a construct lets AWS services invoke (SecureFunction's own,
// handlers brought to a construct, functions given to a delivery target or a subscription).

/**
 * Service principals whose source resources' ARNs carry their account: a permission for them with
 * a `SourceArn` can also carry `SourceAccount` (Lambda developer guide, "Granting function access
 * to AWS services": confused-deputy protection). S3 bucket ARNs carry no account: an S3 permission
 * gets the stack's account only for a bucket of this app.
 */
const ACCOUNT_IN_SOURCE_ARN = ['apigateway', 'events', 'sns', 'cognito-idp', 'elasticloadbalancing', 'iot', 'logs'];

/** Per stage (an App is one), the functions whose service permissions are scoped, by their ARN and name tokens. */
const SCOPED_FUNCTIONS = new WeakMap<Stage | IConstruct, Set<string>>();

/**
 * Every permission that lets an AWS service invoke `fn` with a `SourceArn` gets `SourceAccount`
 * too, the account of that ARN: wherever it is created (CDK creates an HTTP API route's permission
 * under the route, not under the function) and by whom (a construct of the library, CDK, or you).
 * A permission without `SourceArn`, with `SourceAccount` already, for another principal, or whose
 * ARN's account cannot be read at synthesis, is left as it is: nothing is guessed.
 */
export function scopeServicePermissions(fn: lambda.IFunction): void {
  const stage: Stage | IConstruct = Stage.of(fn) ?? fn.node.root;
  let functions = SCOPED_FUNCTIONS.get(stage);
  if (!functions) {
    functions = new Set<string>();
    SCOPED_FUNCTIONS.set(stage, functions);
    Aspects.of(stage).add(new SourceAccountAspect(functions));
  }
  functions.add(fn.functionArn);
  functions.add(fn.functionName);
}

class SourceAccountAspect implements IAspect {
  constructor(private readonly functions: ReadonlySet<string>) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof lambda.CfnPermission) || node.sourceAccount !== undefined || node.sourceArn === undefined
      || !this.functions.has(node.functionName)) {
      return;
    }
    const principal = node.principal;
    const service = principal.endsWith('.amazonaws.com') ? principal.split('.')[0] : undefined;
    let account: string | undefined;
    if (service === 's3') {
      // A bucket ARN carries no account: only a bucket of this app (a reference) is known to be in the stack's.
      account = isReference(Stack.of(node).resolve(node.sourceArn)) ? accountOfArn(node, node.sourceArn) : undefined;
    } else if (service !== undefined && ACCOUNT_IN_SOURCE_ARN.includes(service)) {
      account = accountOfArn(node, node.sourceArn);
    }
    if (account !== undefined) {
      node.sourceAccount = account;
    }
  }
}

/** The account field of an ARN as the permission's stack renders it, when it can be read; else undefined. */
function accountOfArn(scope: IConstruct, arn: string): string | undefined {
  const stack = Stack.of(scope);
  const resolved: unknown = stack.resolve(arn);
  if (typeof resolved === 'string') {
    const account = resolved.split(':')[4];
    return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
  }
  if (isReference(resolved)) {
    // An attribute of a resource of this stack (or an export of another stack: CDK references stay
    // within one account) is in this stack's account. A parameter could hold any ARN.
    const ref = (resolved as { Ref?: unknown }).Ref;
    const isParameter = typeof ref === 'string' && stack.node.findAll().some((c) => c instanceof CfnParameter && stack.resolve(c.logicalId) === ref);
    return isParameter ? undefined : stack.account;
  }
  const join = (resolved as { 'Fn::Join'?: [string, unknown[]] } | null)?.['Fn::Join'];
  if (!join || join[0] !== '') {
    return undefined;
  }
  // The fifth colon-separated field of the joined parts.
  const fields: unknown[][] = [[]];
  for (const part of join[1]) {
    if (typeof part !== 'string') {
      fields[fields.length - 1].push(part);
      continue;
    }
    const pieces = part.split(':');
    pieces.forEach((piece, i) => {
      if (i > 0) {
        fields.push([]);
      }
      if (piece !== '') {
        fields[fields.length - 1].push(piece);
      }
    });
  }
  const field = fields[4];
  if (field?.length !== 1) {
    return undefined;
  }
  if (typeof field[0] === 'string') {
    return /^\d{12}$/.test(field[0]) ? field[0] : undefined;
  }
  return JSON.stringify(field[0]) === JSON.stringify({ Ref: 'AWS::AccountId' }) ? Aws.ACCOUNT_ID : undefined;
}

function isReference(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && ['Ref', 'Fn::GetAtt', 'Fn::ImportValue'].includes(keys[0]) && !Token.isUnresolved(keys[0]);
}
