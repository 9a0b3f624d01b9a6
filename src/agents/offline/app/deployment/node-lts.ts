/**
 * The Node.js line generated apps are deployed and tested on. Node 20 reached end of life in April
 * 2026; 24 is the Active LTS line (maintained until April 2028). The app's dependency set still
 * works on Node ≥ 20.19 because Autonoma validates it with the worker's own Node.
 */
export const APP_NODE_MAJOR = 24;

/** End of maintenance of APP_NODE_MAJOR (nodejs.org/en/about/previous-releases): bump before it. */
export const APP_NODE_END_OF_LIFE = '2028-04-30';

export const APP_NODE_IMAGE = `node:${APP_NODE_MAJOR}-alpine`;
