/** A daily time-series chart (uPlot: ~50 kB, canvas), as wide as its container. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  color: string;
  values: number[];
  /** Draw as bars instead of a line. */
  bars?: boolean;
}

export interface DailyChartProps {
  /** `YYYY-MM-DD` (UTC) for each point. */
  days: string[];
  series: Series[];
  height?: number;
  /** Read by screen readers instead of the canvas. */
  summary: string;
}

export function DailyChart({ days, series, height = 220, summary }: DailyChartProps) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const bars = uPlot.paths.bars?.({ size: [0.6, 40] });
    const options: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      // Half a day of room on each side, so the first and last days' bars are not cut in half.
      scales: {
        x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      },
      axes: [
        { stroke: '#5b6472', grid: { show: false } },
        { stroke: '#5b6472', grid: { stroke: '#eef0f3' } },
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: 'Day', value: (_u, v) => (v == null ? '' : new Date(v * 1000).toISOString().slice(0, 10)) },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          fill: s.bars ? `${s.color}55` : undefined,
          paths: s.bars ? bars : undefined,
          points: { show: false },
        })),
      ],
    };
    const plot = new uPlot(options, [xs, ...series.map((s) => s.values)], el);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [days, series, height]);

  return (
    <figure className="chart">
      <div ref={ref} role="img" aria-label={summary} />
    </figure>
  );
}
