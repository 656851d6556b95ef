/**
 * The deployment files agree with the code: they parse, every variable they set is a setting,
 * the ports and names line up across the Dockerfile, compose, nginx, Prometheus and Kubernetes,
 * the image and the pods run unprivileged, and the probes, health check and scrape they declare
 * answer on the compiled executable. (CI has no Docker daemon: this is what can be proved here.)
 */

import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, REPO_ROOT, startBinary } from "../helpers/binary.ts";
import {
  DEPLOY_DIR,
  type Doc,
  deployYamlFiles,
  finalStage,
  kubernetesObject,
  kubernetesObjects,
  SETTING_ENV_NAMES,
  stageEnv,
  yamlDocs,
} from "../helpers/deploy-files.ts";

const stage = finalStage();
const imageEnv = stageEnv(stage);
const compose = yamlDocs(join(DEPLOY_DIR, "compose.yaml"))[0];
const nginxConf = readFileSync(join(DEPLOY_DIR, "nginx.conf"), "utf8");
const prometheus = yamlDocs(join(DEPLOY_DIR, "prometheus.yml"))[0];
const deployment = kubernetesObject("Deployment");
const pod = deployment.spec.template.spec;
const container = pod.containers.find((c: Doc) => c.name === "headroom");
const secret = kubernetesObject("Secret");

/** The compose services that run headroom: those built from this repository. */
const replicas = Object.entries(compose.services as Record<string, Doc>).filter(
  ([, service]) => service.build?.context === "..",
);

function instruction(keyword: string): string {
  const found = stage.filter((i) => i.keyword === keyword);
  expect(found).toHaveLength(1);
  return found[0]!.args;
}

function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

describe("the deployment files", () => {
  test("every YAML file under deploy/ parses, and kustomize lists files that exist", () => {
    const files = deployYamlFiles();
    expect(files).toContain("compose.yaml");
    expect(files).toContain("prometheus.yml");
    for (const file of files) expect(yamlDocs(join(DEPLOY_DIR, file)).length).toBeGreaterThan(0);
    for (const doc of kubernetesObjects()) {
      expect(typeof doc.apiVersion).toBe("string");
      expect(doc.metadata.name).toMatch(/^headroom/);
    }
    const kustomization = yamlDocs(join(DEPLOY_DIR, "kubernetes", "kustomization.yaml"))[0];
    for (const file of kustomization.resources as string[]) {
      expect(existsSync(join(DEPLOY_DIR, "kubernetes", file))).toBe(true);
    }
    // The image kustomize rewrites is the one the Deployment runs.
    const image = kubernetesObject("Deployment").spec.template.spec.containers[0].image;
    expect(image.split(":")[0]).toBe(kustomization.images[0].name);
  });

  test("every variable they set is a setting headroom reads", () => {
    const named = [
      ...Object.keys(imageEnv),
      ...replicas.flatMap(([, service]) => Object.keys(service.environment)),
      ...container.env.map((e: Doc) => e.name),
      ...Object.keys(secret.stringData),
    ];
    expect(named).toContain("HEADROOM_PROXY_TOKEN");
    const unknown = named.filter((n) => !SETTING_ENV_NAMES.has(n));
    expect(unknown).toEqual([]);
  });

  test("the ports and names agree from the image to the load balancer and Prometheus", () => {
    const port = imageEnv.HEADROOM_PORT ?? "";
    expect(port).toBe("8787");
    expect(instruction("EXPOSE")).toBe(port);
    expect(container.ports).toEqual([{ name: "http", containerPort: Number(port) }]);
    expect(container.env.find((e: Doc) => e.name === "HEADROOM_PORT").value).toBe(port);
    expect(kubernetesObject("Service").spec.ports[0].targetPort).toBe("http");

    const names = replicas.map(([name]) => name);
    expect(names).toEqual(["headroom-1", "headroom-2", "headroom-3"]);
    const upstreams = [...nginxConf.matchAll(/^\s*server (\S+) /gm)].map((m) => m[1]);
    expect(upstreams).toEqual(names.map((name) => `${name}:${port}`));
    expect(nginxConf).toMatch(/^\s*listen 8787;/m);
    expect(compose.services.lb.ports).toEqual(["8787:8787"]);

    // One scrape job, on /metrics, of every replica, presenting the token compose hands it.
    const [job] = prometheus.scrape_configs;
    expect(prometheus.scrape_configs).toHaveLength(1);
    expect(job.metrics_path).toBe("/metrics");
    expect(job.static_configs.flatMap((c: Doc) => c.targets)).toEqual(upstreams);
    expect(job.authorization.type).toBe("Bearer");
    const [secretName] = compose.services.prometheus.secrets;
    expect(job.authorization.credentials_file).toBe(`/run/secrets/${secretName}`);
    expect(compose.secrets[secretName].environment).toBe("HEADROOM_PROXY_TOKEN");
  });

  test("Prometheus accepts its configuration", () => {
    const check = Bun.spawnSync(
      ["promtool", "check", "config", "--syntax-only", join(DEPLOY_DIR, "prometheus.yml")],
      { stderr: "pipe", stdout: "pipe" },
    );
    expect(check.stdout.toString() + check.stderr.toString()).toContain("SUCCESS");
    expect(check.exitCode).toBe(0);
  });

  test("Grafana is provisioned with the dashboard compose mounts", () => {
    const grafana = compose.services.grafana;
    const mount = (grafana.volumes as string[]).find((v) =>
      v.startsWith("./grafana/headroom.json"),
    );
    const provider = yamlDocs(
      join(DEPLOY_DIR, "grafana", "provisioning", "dashboards", "headroom.yaml"),
    )[0].providers[0];
    expect(mount?.split(":")[1]).toBe(`${provider.options.path}/headroom.json`);
    const source = yamlDocs(
      join(DEPLOY_DIR, "grafana", "provisioning", "datasources", "prometheus.yaml"),
    )[0].datasources[0];
    expect(source.url).toBe("http://prometheus:9090");
  });

  test("the image and the pods run unprivileged, writing only to their volumes", () => {
    const user = instruction("USER");
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(instruction("FROM")).toMatch(/:nonroot$/);
    expect(instruction("VOLUME")).toBe(JSON.stringify([imageEnv.HEADROOM_WORKSPACE_DIR]));
    expect(imageEnv.HEADROOM_HOST).toBe("0.0.0.0");
    expect(imageEnv.HEADROOM_REQUIRE_PROXY_TOKEN).toBe("on");
    expect(container.env).toContainEqual({ name: "HEADROOM_REQUIRE_PROXY_TOKEN", value: "on" });

    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(`${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`).toBe(user);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    const workspace = container.env.find((e: Doc) => e.name === "HEADROOM_WORKSPACE_DIR").value;
    const mounted = container.volumeMounts.map((m: Doc) => m.mountPath);
    expect(mounted).toContain(workspace);
    expect(mounted).toContain("/tmp");
    // The token comes from a secret the pod cannot start without.
    expect(container.envFrom).toEqual([{ secretRef: { name: secret.metadata.name } }]);
    for (const [, service] of replicas) {
      expect(service.read_only).toBe(true);
      expect(service.environment.HEADROOM_PROXY_TOKEN).toStartWith("${HEADROOM_PROXY_TOKEN:?");
    }
    // The grace period covers headroom's own drain of in-flight requests.
    const drain = Number(
      container.env.find((e: Doc) => e.name === "HEADROOM_SHUTDOWN_TIMEOUT_SECONDS").value,
    );
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
      drain + container.lifecycle.preStop.sleep.seconds,
    );
  });

  test("the PodDisruptionBudget and the Service select the Deployment's pods and nothing else", () => {
    const labels = deployment.spec.template.metadata.labels;
    expect(labelsMatch(deployment.spec.selector.matchLabels, labels)).toBe(true);
    const pdb = kubernetesObject("PodDisruptionBudget");
    expect(labelsMatch(pdb.spec.selector.matchLabels, labels)).toBe(true);
    expect(pdb.spec.maxUnavailable).toBeLessThan(deployment.spec.replicas);
    const service = kubernetesObject("Service");
    expect(labelsMatch(service.spec.selector, labels)).toBe(true);
    const redisPods = kubernetesObject("StatefulSet", "headroom-redis").spec.template.metadata
      .labels;
    expect(labelsMatch(pdb.spec.selector.matchLabels, redisPods)).toBe(false);
    expect(labelsMatch(service.spec.selector, redisPods)).toBe(false);
    // The optional ingress routes to that Service's port.
    const ingress = yamlDocs(join(DEPLOY_DIR, "kubernetes", "ingress.yaml"))[0];
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual({
      name: service.metadata.name,
      port: { name: service.spec.ports[0].name },
    });
  });
});

describe("what the deploy files ask of a running replica", () => {
  const workspace = mkdtempSync(join(tmpdir(), "headroom-deploy-"));
  const token = secret.stringData.HEADROOM_PROXY_TOKEN as string;
  // The Deployment's environment and secret, on loopback, a free port and a temporary
  // workspace, without Redis.
  const env: Record<string, string> = {
    ...Object.fromEntries(container.env.map((e: Doc) => [e.name, e.value])),
    ...secret.stringData,
    HEADROOM_HOST: "127.0.0.1",
    HEADROOM_WORKSPACE_DIR: workspace,
  };
  delete env.HEADROOM_REDIS_URL;
  delete env.HEADROOM_PORT;
  const started = startBinary([], env);
  afterAll(async () => (await started).stop());

  // A caller the way the kubelet or Prometheus reach a pod: from another address (said here by
  // a forwarding header, since the test stays on 127.0.0.1).
  const asRemote = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, { headers: { "x-forwarded-for": "10.0.0.7", ...headers } });

  test("every probe path answers 200 to a caller without the token", async () => {
    const { url } = await started;
    const probes = ["startupProbe", "readinessProbe", "livenessProbe"].map(
      (probe) => container[probe].httpGet,
    );
    for (const probe of probes) {
      expect(probe.port).toBe("http");
      const res = await asRemote(`${url}${probe.path}`);
      expect(res.status).toBe(200);
    }
    expect((await asRemote(`${url}/stats`)).status).toBe(401);
  });

  test("a scrape with the token as a bearer gets /metrics", async () => {
    const { url } = await started;
    const res = await asRemote(`${url}/metrics`, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("# TYPE headroom_requests_total counter");
    expect((await asRemote(`${url}/metrics`)).status).toBe(401);
  });

  test("the image's environment refuses to start without a token", () => {
    const { HEADROOM_PORT: _, ...withoutPort } = imageEnv;
    const run = Bun.spawnSync([BINARY, "proxy", "--port", "0"], {
      // A proxy that started anyway is stopped and fails the exit-code check.
      timeout: 10_000,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: workspace,
        ...withoutPort,
        HEADROOM_HOST: "127.0.0.1",
        HEADROOM_WORKSPACE_DIR: workspace,
      },
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.toString()).toStartWith(
      "headroom: HEADROOM_REQUIRE_PROXY_TOKEN is on but HEADROOM_PROXY_TOKEN is not set",
    );
  });

  test("the image's HEALTHCHECK passes while the proxy is ready and fails once it is gone", async () => {
    const running = await started;
    const command = JSON.parse(instruction("HEALTHCHECK").replace(/^.*?CMD\s+/, "")) as string[];
    expect(command[0]).toBe("/usr/local/bin/headroom");
    const port = new URL(running.url).port;
    const check = () =>
      Bun.spawnSync([BINARY, ...command.slice(1)], {
        env: { PATH: process.env.PATH ?? "", HOME: workspace, HEADROOM_PORT: port },
      }).exitCode;
    expect(check()).toBe(0);
    await running.stop();
    expect(check()).toBe(1);
  });
});

test("the image's entry runs the proxy from the installed executable", () => {
  const install = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
  expect(install).toContain("COPY --from=build /out/headroom /usr/local/bin/headroom");
  expect(JSON.parse(instruction("ENTRYPOINT"))).toEqual(["/usr/local/bin/headroom"]);
  expect(JSON.parse(instruction("CMD"))).toEqual(["proxy"]);
});
