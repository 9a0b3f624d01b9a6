export {
  createSlackAdapter,
  SLACK_EVENTS_PATH,
  type SlackAdapter,
  type SlackAdapterDeps,
} from './create-slack-adapter.js';
export { createSlackInboxHandlers, type SlackInboxHandlersDeps } from './create-slack-inbox-handlers.js';
