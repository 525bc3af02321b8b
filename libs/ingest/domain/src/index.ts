export { SeenEvents } from './seen-events';
