import { runService } from '@harmony/platform-runtime';
import { ALL_IN_ONE } from './all-in-one';

void runService(ALL_IN_ONE);
