export { LiveCluster, type LiveClusterOptions } from './live-cluster.js';
export { DEFAULT_TIMING, LIGHT_TIMING, type LiveTiming } from './timing.js';
export { unixConnector } from './unix-connector.js';
