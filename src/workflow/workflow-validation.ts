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

/**
 * What Express workflows do not support (Step Functions developer guide, "Choosing workflow type":
 * the .sync and .waitForTaskToken integration patterns, activities, and Distributed Map).
 */
const STANDARD_ONLY_PATTERNS = /\.(sync(:\d+)?|waitForTaskToken)$/;
const ACTIVITY = /:activity:/;

/** A definition given as JSON (a string or a file), parsed at synthesis. */
export interface ParsedDefinition {
  /** The definition's text, as given (tokens and `${substitutions}` included). */
  readonly text: string;
  /** The definition JSON (a `${substitution}` outside a string read as null). */
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
  const parsed = parseDefinition(scope, body, Object.keys(props.definitionSubstitutions ?? {}));
  if (parsed) {
    checkDefinitionJson(scope, parsed, props);
  } else if (!(body instanceof sfn.ChainDefinitionBody) && props.timeout !== undefined) {
    // CDK writes `timeout` only into chainable definitions; this one is not known before deploy time.
    throw BulwarkError.invalid(scope, 'timeout', props.timeout, 'a definition known only at deploy time cannot have it written in: '
      + 'set TimeoutSeconds in the definition');
  }
  return parsed;
}

/** The JSON of a string or file definition (a chainable is checked once it is bound: `checkStandardOnly`). */
function parseDefinition(scope: IConstruct, body: sfn.DefinitionBody, substitutions: readonly string[]): ParsedDefinition | undefined {
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
  // Tokens (an ARN from the app) sit inside JSON strings and parse as text; a ${substitution} may also
  // stand where a number or object goes (CloudFormation replaces it before Step Functions reads it).
  let json: unknown;
  try {
    json = JSON.parse(substitutions.reduce((t, key) => t.split(`\${${key}}`).join('null'), text));
  } catch (e) {
    if (Token.isUnresolved(text) && /^\$\{Token\[[^\]]+\]\}$/.test(text.trim())) {
      // Known only at deploy time (Fn.sub, a Lazy): nothing to check here.
      return undefined;
    }
    throw new BulwarkError(scope, `${source} is not valid JSON (${(e as Error).message}); it must be an Amazon States Language definition`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new BulwarkError(scope, `${source} must be a JSON object with StartAt and States, got ${BulwarkError.show(json)}`);
  }
  return { text, json: json as Record<string, unknown>, source };
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
  if (json.TimeoutSeconds !== undefined && json.TimeoutSeconds !== null) {
    const max = props.stateMachineType === sfn.StateMachineType.EXPRESS ? STATES_LIMITS.maxExpressTimeout : STATES_LIMITS.maxStandardTimeout;
    const seconds = json.TimeoutSeconds;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > max.toSeconds()) {
      throw new BulwarkError(scope, `${source} sets TimeoutSeconds to ${BulwarkError.show(seconds)}; it must be a whole number of seconds from 1 to `
        + `${max.toSeconds()} (${max.toHumanString()})`);
    }
  }
  checkStandardOnly(scope, props.stateMachineType, [json], source);
}

/**
 * Express workflows cannot run the `.sync` (run a job) and `.waitForTaskToken` (callback) integration
 * patterns, activities or a Distributed Map: refused at synthesis, where the deploy would fail or the
 * execution would. `definitions` are definition objects (with `States`).
 */
export function checkStandardOnly(scope: IConstruct, type: sfn.StateMachineType | undefined, definitions: unknown[], source: string): void {
  if (type !== sfn.StateMachineType.EXPRESS) {
    return;
  }
  const found: string[] = [];
  // `name` is the state being walked: the keys of a States object are state names.
  const walk = (node: unknown, name: string | undefined, statesObject: boolean): void => {
    if (Array.isArray(node)) {
      node.forEach((n) => walk(n, name, false));
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        const state = statesObject ? key : name;
        if (key === 'Resource' && typeof value === 'string' && (STANDARD_ONLY_PATTERNS.test(value) || ACTIVITY.test(value))) {
          found.push(`${state ?? 'a state'} (${value.replace(/\$\{Token\[[^\]]*\]\}/g, '...')})`);
        }
        if (key === 'ProcessorConfig' && (value as { Mode?: unknown } | null)?.Mode === 'DISTRIBUTED') {
          found.push(`${state ?? 'a state'} (a Distributed Map)`);
        }
        walk(value, state, key === 'States');
      }
    }
  };
  walk(definitions, undefined, false);
  if (found.length > 0) {
    throw BulwarkError.invalid(scope, 'stateMachineType', 'EXPRESS', `${source} uses what Express workflows do not support `
      + `(.sync and .waitForTaskToken integration patterns, activities, Distributed Map): ${found.join(', ')}; use a Standard workflow, `
      + 'or the request-response pattern');
  }
}
