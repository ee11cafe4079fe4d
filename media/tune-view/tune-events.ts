import type { TuneEvent, TuneSummary } from '../../language-server/src/protocol/views.js';
import { datasetEvent } from '../view/store.js';

/**
 * Shape checks for what arrives inside `trainer` messages: the view protocol
 * checks only the envelope, and one malformed event must not break the view.
 */

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number';

function isObjective(value: unknown): boolean {
  return isObject(value) && isString(value['name']) && (value['direction'] === 'min' || value['direction'] === 'max');
}

export function isTrialRecord(value: unknown): boolean {
  return isObject(value) && isString(value['id']) && isObject(value['point']) && (value['status'] === 'running' || value['status'] === 'completed' || value['status'] === 'failed') && Array.isArray(value['history']) && isNumber(value['epochs']);
}

export function isTuneSummary(value: unknown): value is TuneSummary {
  return isObject(value) && isString(value['model']) && isString(value['dir']) && isObjective(value['objective']) && Array.isArray(value['trials']) && value['trials'].every(isTrialRecord);
}

function isTrainingEvent(value: unknown): boolean {
  if (!isObject(value)) return false;
  const logs = value['logs'];
  switch (value['type']) {
    case 'batch':
      return isObject(logs) && isNumber(logs['epoch']) && isNumber(logs['batch']) && isNumber(logs['batches']);
    case 'epoch':
      return isObject(logs) && isNumber(logs['epoch']);
    case 'message':
      return isString(value['text']);
    default:
      return false;
  }
}

export function isTuneEvent(value: unknown): value is TuneEvent {
  if (!isObject(value)) return false;
  switch (value['type']) {
    case 'search':
      return isString(value['model']) && isString(value['dir']) && isString(value['strategy']) && isObjective(value['objective']);
    case 'data':
      return isString(value['stage']) && isNumber(value['done']);
    // The loaded data set (name and split sizes); not in TuneEvent yet, read by datasetEvent.
    case 'dataset':
      return datasetEvent(value) !== undefined;
    case 'trial-start': {
      const trial = value['trial'];
      return isObject(trial) && isString(trial['model']) && isString(trial['id']) && isObject(trial['point']) && isNumber(trial['epochs']) && isNumber(trial['initialEpoch']);
    }
    case 'training':
      return isString(value['model']) && isString(value['trialId']) && isTrainingEvent(value['event']);
    case 'trial-end':
      return isString(value['model']) && isTrialRecord(value['trial']);
    case 'best':
      return isString(value['model']) && isString(value['trialId']) && isNumber(value['score']);
    case 'finished':
      return isTuneSummary(value['summary']);
    default:
      return false;
  }
}
