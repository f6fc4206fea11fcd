import { SCENARIOS } from './compliance-scenarios';
import * as expected from './expected-acknowledgements.json';
import { FLAG_SETS } from '../support/app';
import { describeCompliance } from '../support/compliance';

describeCompliance('SecureWebSocketApi', SCENARIOS, expected as Record<string, string[]>, FLAG_SETS);
