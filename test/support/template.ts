import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';

/** Helpers to find a construct's resources in a template by computed logical ids (never hard-coded ones). */

export function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
}

/** The template entry of a construct's L1 resource, found by its computed logical id. */
export function resourceOf(template: Template, construct: IConstruct): any {
  const resource = template.toJSON().Resources[logicalIdOf(construct)];
  expect(resource).toBeDefined();
  return resource;
}

/** Asserts (deep partial match) the properties of a construct's L1 resource. */
export function expectProperties(template: Template, construct: IConstruct, properties: Record<string, unknown>): void {
  template.templateMatches({ Resources: { [logicalIdOf(construct)]: { Properties: properties } } });
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Sid?: string;
  readonly Condition?: any;
}

/** Every statement of the policies of `types` attached to `role`. */
export function statementsOf(template: Template, role: iam.IRole, types = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']): Statement[] {
  const roleRef = JSON.stringify(Stack.of(role).resolve(role.roleName));
  const statements: Statement[] = [];
  for (const type of types) {
    for (const policy of Object.values(template.findResources(type))) {
      const roles: unknown[] = policy.Properties.Roles ?? [];
      if (roles.some((r) => JSON.stringify(r) === roleRef)) {
        statements.push(...policy.Properties.PolicyDocument.Statement);
      }
    }
  }
  return statements;
}

/** The actions `statements` allow on exactly `resource` (a resolved ARN or '*'), sorted and deduplicated. */
export function actionsOn(statements: Statement[], resource: unknown): string[] {
  const target = JSON.stringify(resource);
  const actions = new Set<string>();
  for (const statement of statements) {
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
    if (statement.Effect === 'Allow' && resources.some((r) => JSON.stringify(r) === target)) {
      [statement.Action].flat().forEach((a) => actions.add(a));
    }
  }
  return [...actions].sort();
}

/** The one key policy statement that allows `servicePrincipal` (a resolved value). */
export function keyStatementFor(template: Template, key: kms.IKey, servicePrincipal: unknown): any {
  const statements: any[] = resourceOf(template, key).Properties.KeyPolicy.Statement;
  const matching = statements.filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal?.Service) === JSON.stringify(servicePrincipal));
  expect(matching).toHaveLength(1);
  return matching[0];
}

/** The stack's key (a per-stack singleton; its construct id is API). */
export function stackKeyOf(stack: Stack): kms.IKey {
  return stack.node.findChild('BulwarkStackKey') as kms.IKey;
}

/** The stack's failure-path key: the alarm topic's and the async-failure queue's (a per-stack singleton; its construct id is API). */
export function failurePathKeyOf(stack: Stack): kms.IKey {
  return stack.node.findChild('BulwarkFailurePathKey') as kms.IKey;
}

/** The stack's async-failure queue (a per-stack singleton; its construct id is API). */
export function asyncFailureQueueOf(stack: Stack): sqs.IQueue {
  return stack.node.findChild('BulwarkAsyncFailureQueue') as sqs.IQueue;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A state machine's definition as Step Functions reads it, parsed (references from the app read as 'REF'). */
export function definitionOf(stateMachine: sfn.StateMachine): any {
  const stack = Stack.of(stateMachine);
  const body = stack.resolve((stateMachine.node.defaultChild as sfn.CfnStateMachine).definitionString);
  return JSON.parse(typeof body === 'string' ? body : body['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'REF')).join(''));
}
