/** The shared status view (one fold for every platform); kept here for the Slack modules that import it. */
export {
  applyEvent,
  initialView,
  pullRequestUrl,
  type StatusView,
} from '../../core/conversation/status-view.js';
