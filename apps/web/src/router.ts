import { useEffect, useState } from 'react';

/** The page's places. Hash routes: the server only ever serves `/`. */
export type Route =
  | { page: 'list' }
  | { page: 'create' }
  | { page: 'operational' }
  | { page: 'detail'; id: string }
  | { page: 'edit'; id: string }
  | { page: 'event'; id: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'events' && parts[1]) return { page: 'event', id: parts[1] };
  if (parts[0] !== 'webhooks') return { page: 'list' };
  if (parts[1] === 'new') return parts[2] === 'operational' ? { page: 'operational' } : { page: 'create' };
  if (parts[1] && parts[2] === 'edit') return { page: 'edit', id: parts[1] };
  if (parts[1]) return { page: 'detail', id: parts[1] };
  return { page: 'list' };
}

export function href(route: Route): string {
  switch (route.page) {
    case 'list':
      return '#/';
    case 'create':
      return '#/webhooks/new';
    case 'operational':
      return '#/webhooks/new/operational';
    case 'detail':
      return `#/webhooks/${encodeURIComponent(route.id)}`;
    case 'edit':
      return `#/webhooks/${encodeURIComponent(route.id)}/edit`;
    case 'event':
      return `#/events/${encodeURIComponent(route.id)}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
