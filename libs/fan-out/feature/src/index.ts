export { FanOutModule } from './fan-out.module';
