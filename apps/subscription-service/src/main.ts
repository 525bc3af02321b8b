import { SubscriptionServiceModule } from '@harmony/subscriptions/feature';
import { runService } from '@harmony/platform-runtime';

void runService({ name: 'subscription-service', modules: [SubscriptionServiceModule] });
