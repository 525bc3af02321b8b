export { FanOutModule } from './fan-out.module';
export { FanOutService, type FanOutResult } from './fan-out.service';
export { FAN_OUT_CONSUMERS, FAN_OUT_GROUP_ID, FAN_OUT_READINESS_CHECK } from './events.consumer';
