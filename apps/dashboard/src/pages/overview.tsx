/** Overview of one environment: activity per day, new people, conversions, top events. */
import { useMemo, useState } from 'react';
import type { Api } from '../api/client.ts';
import { DailyChart } from '../components/chart.tsx';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { formatNumber } from '../format.ts';
import { useQuery } from '../hooks/use-query.ts';
import { Link } from '../router.tsx';

const RANGES = [7, 30, 90] as const;

export function OverviewPage({ api, env }: { api: Api; env: string }) {
  const [days, setDays] = useState<number>(30);
  const overview = useQuery(() => api.overview(env, days), [env, days]);
  const data = overview.data;

  const charts = useMemo(() => {
    if (!data) return undefined;
    const dayList = data.days.map((d) => d.day);
    return {
      days: dayList,
      activity: [
        { label: 'Events', color: '#3b5bdb', values: data.days.map((d) => d.events), bars: true },
        { label: 'Active people', color: '#e8590c', values: data.days.map((d) => d.activePeople) },
      ],
      growth: [
        { label: 'New visitors', color: '#868e96', values: data.days.map((d) => d.newVisitors), bars: true },
        { label: 'New users', color: '#2f9e44', values: data.days.map((d) => d.newUsers) },
        { label: 'Visitor → user', color: '#ae3ec9', values: data.days.map((d) => d.conversions) },
      ],
    };
  }, [data]);

  return (
    <section>
      <div className="page-head">
        <h1>Overview</h1>
        <div className="segmented" role="group" aria-label="Period">
          {RANGES.map((n) => (
            <button key={n} type="button" aria-pressed={days === n} onClick={() => setDays(n)}>
              {n} days
            </button>
          ))}
        </div>
      </div>
      <p className="muted">
        Environment <strong>{env}</strong>, {data ? `${data.from} to ${data.to}` : `last ${days} days`} (UTC).
      </p>
      {overview.error ? (
        <ErrorState error={overview.error} onRetry={overview.reload} />
      ) : !data || !charts ? (
        <Loading />
      ) : (
        <>
          <div className="tiles">
            <Tile label="Events" value={data.totals.events} />
            <Tile label="Active people today" value={data.totals.activePeople} />
            <Tile label="New visitors" value={data.totals.newVisitors} />
            <Tile label="New users" value={data.totals.newUsers} />
            <Tile label="Visitor → user conversions" value={data.totals.conversions} />
          </div>
          {data.totals.events === 0 && data.totals.newVisitors === 0 && data.totals.newUsers === 0 ? (
            <Empty title="No activity in this period">
              Send events with an SDK to see them here.{' '}
              <Link to={`/environments/${encodeURIComponent(env)}`}>Get the keys and a snippet</Link>.
            </Empty>
          ) : (
            <div className="grid-2">
              <div className="card">
                <h2>Events and active people per day</h2>
                <DailyChart
                  days={charts.days}
                  series={charts.activity}
                  summary={`${data.totals.events} events by ${data.totals.activePeople} people over ${days} days`}
                />
              </div>
              <div className="card">
                <h2>New visitors, new users and conversions</h2>
                <DailyChart
                  days={charts.days}
                  series={charts.growth}
                  summary={`${data.totals.newVisitors} new visitors, ${data.totals.newUsers} new users, ${data.totals.conversions} conversions`}
                />
              </div>
            </div>
          )}
          <div className="card">
            <h2>Top events</h2>
            {data.topEvents.length === 0 ? (
              <p className="muted">No events in this period.</p>
            ) : (
              <table className="table compact">
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col" className="num">
                      Count
                    </th>
                    <th scope="col" className="bar-col">
                      <span className="visually-hidden">Share</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.topEvents.map((e) => (
                    <tr key={e.name}>
                      <td className="mono">{e.name}</td>
                      <td className="num">{formatNumber(e.count)}</td>
                      <td className="bar-col">
                        <span
                          className="bar"
                          style={{ width: `${(100 * e.count) / (data.topEvents[0]?.count || 1)}%` }}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </>
      )}
    </section>
  );
}

function Tile({ label, value }: { label: string; value: number }) {
  return (
    <div className="tile">
      <div className="tile-value">{formatNumber(value)}</div>
      <div className="tile-label">{label}</div>
    </div>
  );
}
