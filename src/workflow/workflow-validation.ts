import { existsSync, readFileSync } from 'fs';
import { Duration, Token } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
import type { WorkflowProps } from './workflow';
import { BulwarkError } from '../core/errors';
import { STATES_LIMITS } from '../private/defaults/states';
import { checkKnownProps, propKeys } from '../private/props';
import { checkDuration, checkEnum, checkRetention } from '../private/validation';

const WORKFLOW_PROPS = propKeys<WorkflowProps>()('WorkflowProps', ['definitionBody', 'stateMachineType', 'queryLanguage', 'timeout',
  'stateMachineName', 'definitionSubstitutions', 'logGroup', 'logRetention', 'logExecutionData', 'role', 'key', 'alarms', 'complianceProfile',
  'monitoring']);

/** Integration patterns (Resource suffixes) that Express workflows do not support (Step Functions developer guide, "Service integration patterns"). */
const STANDARD_ONLY_PATTERNS = /\.(sync(:\d+)?|waitForTaskToken)$/;

/** A definition given as JSON (a string or a file), parsed at synthesis. */
export interface ParsedDefinition {
  /** The definition JSON. */
  readonly json: Record<string, unknown>;
  /** Where it came from, for messages. */
  readonly source: string;
}

/** Checks every prop of a Workflow, before anything is made; returns the parsed JSON of a string or file definition. */
export function validateWorkflowProps(scope: IConstruct, props: WorkflowProps): ParsedDefinition | undefined {
  checkKnownProps(scope, props, WORKFLOW_PROPS);
  const body: unknown = props.definitionBody;
  if (!(body instanceof sfn.DefinitionBody)) {
    throw BulwarkError.invalid(scope, 'definitionBody', body,
      'it must be a DefinitionBody: DefinitionBody.fromChainable(...), DefinitionBody.fromString(...) or DefinitionBody.fromFile(...)');
  }
  checkEnum(scope, 'stateMachineType', props.stateMachineType, sfn.StateMachineType, 'StateMachineType');
  checkEnum(scope, 'queryLanguage', props.queryLanguage, sfn.QueryLanguage, 'QueryLanguage');
  checkRetention(scope, 'logRetention', props.logRetention);
  if (props.logGroup !== undefined && props.logRetention !== undefined) {
    throw BulwarkError.invalid(scope, 'logRetention', props.logRetention, 'a brought logGroup keeps its own retention; give one or the other');
  }
  const express = props.stateMachineType === sfn.StateMachineType.EXPRESS;
  const maxTimeout = express ? STATES_LIMITS.maxExpressTimeout : STATES_LIMITS.maxStandardTimeout;
  checkDuration(scope, 'timeout', props.timeout, Duration.seconds(1), maxTimeout);
  const name = props.stateMachineName;
  if (name !== undefined && !Token.isUnresolved(name) && !STATES_LIMITS.stateMachineName.test(name)) {
    throw BulwarkError.invalid(scope, 'stateMachineName', name, 'it must be 1 to 80 letters, digits, hyphens or underscores');
  }
  const parsed = parseDefinition(scope, body);
  if (parsed) {
    checkDefinitionJson(scope, parsed, props);
  }
  return parsed;
}

/** The JSON of a string or file definition (a chainable is checked once it is bound: `checkStandardOnly`). */
function parseDefinition(scope: IConstruct, body: sfn.DefinitionBody): ParsedDefinition | undefined {
  let text: string;
  let source: string;
  if (body instanceof sfn.StringDefinitionBody) {
    text = body.body;
    source = 'the definition string';
  } else if (body instanceof sfn.FileDefinitionBody) {
    source = `the definition file '${body.path}'`;
    if (!existsSync(body.path)) {
      throw BulwarkError.invalid(scope, 'definitionBody', body.path, 'no such file (a relative path is read from the directory synthesis runs in)');
    }
    text = readFileSync(body.path, 'utf8');
  } else {
    return undefined;
  }
  if (Token.isUnresolved(text)) {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BulwarkError(scope, `${source} is not valid JSON (${(e as Error).message}); it must be an Amazon States Language definition`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new BulwarkError(scope, `${source} must be a JSON object with StartAt and States, got ${BulwarkError.show(json)}`);
  }
  return { json: json as Record<string, unknown>, source };
}

function checkDefinitionJson(scope: IConstruct, parsed: ParsedDefinition, props: WorkflowProps): void {
  const { json, source } = parsed;
  const states = json.States;
  if (typeof states !== 'object' || states === null || Array.isArray(states) || Object.keys(states).length === 0) {
    throw new BulwarkError(scope, `${source} has no states: an Amazon States Language definition needs a non-empty States object`);
  }
  if (typeof json.StartAt !== 'string' || !(json.StartAt in states)) {
    throw new BulwarkError(scope, `${source} starts at ${BulwarkError.show(json.StartAt)}, which is not one of its states (${Object.keys(states).join(', ')})`);
  }
  if (json.TimeoutSeconds !== undefined && props.timeout !== undefined) {
    throw BulwarkError.invalid(scope, 'timeout', props.timeout, `${source} sets its own TimeoutSeconds (${BulwarkError.show(json.TimeoutSeconds)}); give one or the other`);
  }
  checkStandardOnly(scope, props.stateMachineType, [json], source);
}

/**
 * Express workflows cannot run the `.sync` (run a job) and `.waitForTaskToken` (callback) integration
 * patterns: refused at synthesis, where the deploy would fail or the execution would.
 */
export function checkStandardOnly(scope: IConstruct, type: sfn.StateMachineType | undefined, states: unknown[], source: string): void {
  if (type !== sfn.StateMachineType.EXPRESS) {
    return;
  }
  const found: string[] = [];
  const walk = (node: unknown, name?: string): void => {
    if (Array.isArray(node)) {
      node.forEach((n) => walk(n, name));
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Resource' && typeof value === 'string' && STANDARD_ONLY_PATTERNS.test(value)) {
          found.push(`${name ?? 'a state'} (${value.replace(/\$\{Token\[[^\]]*\]\}/g, '...')})`);
        }
        walk(value, key === 'States' || key === 'Resource' ? name : key);
      }
    }
  };
  walk(states);
  if (found.length > 0) {
    throw BulwarkError.invalid(scope, 'stateMachineType', 'EXPRESS', `${source} uses integration patterns Express workflows do not support `
      + `(.sync and .waitForTaskToken): ${found.join(', ')}; use a Standard workflow, or the request-response pattern`);
  }
}
