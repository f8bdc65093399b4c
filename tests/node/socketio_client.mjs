// The standard socket.io-client against a running Pundit (two instances when BASE_B differs).
// Env: BASE_A (admin updates go here), BASE_B (the socket connects here), TOKEN (a user's access
// token), ADMIN_TOKEN, MATCH_ID. Prints "N passed, N failed" and exits non-zero on failure.
import { io } from "socket.io-client";

const { BASE_A, BASE_B, TOKEN, ADMIN_TOKEN, MATCH_ID } = process.env;
const results = [];

async function check(name, fn) {
  try {
    await fn();
    results.push([name, true]);
    console.log(`ok - ${name}`);
  } catch (e) {
    results.push([name, false]);
    console.log(`not ok - ${name}: ${e.message}`);
  }
}

function connect(auth) {
  return io(BASE_B, { auth, transports: ["websocket"], reconnection: false, timeout: 5000 });
}

function within(ms, promise, what) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)),
  ]);
}

await check("a bad token is refused with a clear connect_error", async () => {
  const socket = connect({ token: "forged.token.value" });
  const err = await within(5000, new Promise((resolve) => socket.on("connect_error", resolve)), "connect_error");
  socket.close();
  if (!/invalid access token/.test(err.message)) throw new Error(`unexpected message: ${err.message}`);
});

await check("a signed-in client joins a match and hears an update made on the other instance within 1 s", async () => {
  const socket = connect({ token: TOKEN });
  await within(5000, new Promise((resolve, reject) => {
    socket.on("connect", resolve);
    socket.on("connect_error", reject);
  }), "connect");
  const ack = await within(5000, socket.emitWithAck("join:match", { match_id: Number(MATCH_ID) }), "join ack");
  if (!ack.ok) throw new Error(`join refused: ${JSON.stringify(ack)}`);
  // Listen for both before the update: prediction:update follows match:update immediately.
  const live = new Promise((resolve) => {
    socket.on("match:update", (m) => {
      if (m.status === "live" && m.minute === 33) resolve(m);
    });
  });
  const predicted = new Promise((resolve) => {
    socket.on("prediction:update", (p) => {
      if (p.forecast && p.forecast.kind === "in_play") resolve(p);
    });
  });
  const started = Date.now();
  const res = await fetch(`${BASE_A}/api/v1/matches/${MATCH_ID}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ status: "live", minute: 33, score: { home: 1, away: 0 } }),
  });
  if (res.status !== 200) throw new Error(`admin update answered ${res.status}`);
  const update = await within(1000, live, "match:update");
  const prediction = await within(2000, predicted, "in-play prediction:update");
  socket.close();
  if (update.id !== Number(MATCH_ID)) throw new Error("wrong match");
  if (prediction.forecast.kind !== "in_play") throw new Error("expected an in-play forecast");
  console.log(`# match:update after ${Date.now() - started} ms`);
});

const passed = results.filter(([, ok]) => ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
