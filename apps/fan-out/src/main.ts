import { FanOutModule } from '@harmony/fan-out/feature';
import { runService } from '@harmony/platform-runtime';

void runService({ name: 'fan-out', modules: [FanOutModule] });
