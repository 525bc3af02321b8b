import { useEffect, useRef, useState } from 'react';
import { useApp } from '../app-context';
import type { LiveNotice, LiveState } from './live-stream';

/** At most one reload per this window (and one right after it): a burst of deliveries costs two requests, not one each. */
const THROTTLE_MS = 250;

/**
 * Runs `load` when the live stream says something it shows changed (`matches`),
 * and every `fallbackMs` only while the stream is not live.
 */
export function useLiveRefresh(load: () => void, matches: (notice: LiveNotice) => boolean, fallbackMs: number): void {
  const { live } = useApp();
  const latest = useRef({ load, matches });
  latest.current = { load, matches };

  useEffect(() => {
    // Throttled, not debounced: the first notice loads at once, a burst after it makes one more load.
    let quiet: ReturnType<typeof setTimeout> | null = null;
    let missed = false;
    const throttled = (): void => {
      if (quiet) {
        missed = true;
        return;
      }
      latest.current.load();
      quiet = setTimeout(() => {
        quiet = null;
        if (missed) {
          missed = false;
          throttled();
        }
      }, THROTTLE_MS);
    };
    let poll: ReturnType<typeof setInterval> | null = null;
    const stopNotices = live.onNotice((notice) => {
      if (notice.kind === 'resync' || latest.current.matches(notice)) throttled();
    });
    const follow = (state: LiveState): void => {
      if (state === 'live') {
        if (poll) clearInterval(poll);
        poll = null;
      } else poll ??= setInterval(() => latest.current.load(), fallbackMs);
    };
    const stopStates = live.onState(follow);
    follow(live.state);
    return () => {
      stopNotices();
      stopStates();
      if (quiet) clearTimeout(quiet);
      if (poll) clearInterval(poll);
    };
  }, [live, fallbackMs]);
}

/** The stream's state, for the indicator. */
export function useLiveState(): LiveState {
  const { live } = useApp();
  const [state, setState] = useState(live.state);
  useEffect(() => {
    setState(live.state);
    return live.onState(setState);
  }, [live]);
  return state;
}
