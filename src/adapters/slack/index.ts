export {
  createSlackAdapter,
  SLACK_EVENTS_PATH,
  type SlackAdapter,
  type SlackAdapterDeps,
} from './create-slack-adapter.js';
