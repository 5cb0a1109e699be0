import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A screen's filters kept in the URL query (shareable links, back / forward): the values of
 * `defaults` overridden by the query; `update` writes only what differs from the defaults.
 */
export function useUrlState<T extends Record<string, string>>(defaults: T) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(
    Object.entries(defaults).map(([key, fallback]) => [key, params.get(key) ?? fallback]),
  ) as T;
  const update = useCallback(
    (patch: Partial<T>) => {
      setParams(
        (old) => {
          const next = new URLSearchParams(old);
          for (const [key, value] of Object.entries(patch)) {
            if (value === undefined || value === defaults[key]) next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams, defaults],
  );
  return [values, update] as const;
}
