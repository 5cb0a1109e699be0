import { useEffect, useRef, useState } from 'react';

import { loadBokeh, type PlotRequest, usePlot, usePlotResources } from '../api/plots';

/**
 * A drill-down plot served by `/api/plots/...` (metric, CCD image or spectrum), drawn by
 * BokehJS loaded from the server itself. Every plot starts with its one-line description.
 */
export function BokehPlot({ request }: { request: PlotRequest }) {
  const resources = usePlotResources();
  const plot = usePlot(request);
  const target = useRef<HTMLDivElement>(null);
  const [drawError, setDrawError] = useState<string | null>(null);

  useEffect(() => {
    const element = target.current;
    if (!element || !resources.data || !plot.data) return;
    let cancelled = false;
    element.replaceChildren();
    loadBokeh(resources.data)
      .then((bokeh) => (cancelled ? null : bokeh.embed.embed_item(plot.data, element)))
      .then(() => setDrawError(null))
      .catch((error: unknown) =>
        setDrawError(error instanceof Error ? error.message : String(error)),
      );
    return () => {
      cancelled = true;
      element.replaceChildren();
    };
  }, [resources.data, plot.data]);

  const error = plot.error ?? resources.error;
  if (error) return <p role="alert">Plot unavailable: {error.message}</p>;
  if (drawError) return <p role="alert">Plot unavailable: {drawError}</p>;
  return (
    <div className="bokeh-plot" aria-busy={plot.isPending || resources.isPending}>
      {(plot.isPending || resources.isPending) && <p>Loading plot…</p>}
      <div ref={target} />
    </div>
  );
}
