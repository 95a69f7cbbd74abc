/** A fake `fetch` for the data hooks' tests: answers from a list of routes and records the calls. */
export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Answer = { status?: number; body?: unknown; headers?: Record<string, string> } | Error;
type Route = (call: Call) => Answer | Promise<Answer> | undefined;

export function fakeFetch(...routes: Route[]) {
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const call: Call = {
      method: init.method ?? 'GET',
      url: String(input),
      headers: Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>)),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    for (const route of routes) {
      const answer = await route(call);
      if (answer === undefined) continue;
      if (answer instanceof Error) throw answer;
      const status = answer.status ?? 200;
      return new Response(status === 204 ? null : JSON.stringify(answer.body ?? {}), {
        status,
        headers: { 'content-type': 'application/json', ...answer.headers },
      });
    }
    return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: `no fake for ${call.url}` } }), {
      status: 404,
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/** A promise with its resolve function outside, to control when an answer arrives. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
