// A Framework over a plain list of NodeInfos, for plugin and cycle tests.
import type { RestClient } from '../../client/index.js';
import { ManualClock } from '../../lib/index.js';
import { Framework, type ProfilePlugin } from '../framework/framework.js';
import type { SchedulerListers } from '../framework/listers.js';
import { NodeInfo } from '../framework/node-info.js';
import { PodInfo } from '../framework/pod-info.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';

export function testFramework(plugins: readonly ProfilePlugin[], nodes: readonly NodeInfo[], listers?: SchedulerListers): Framework {
  return new Framework({
    profileName: 'default-scheduler',
    plugins,
    client: {} as RestClient,
    clock: new ManualClock(),
    nodeInfos: () => nodes,
    nodeInfo: (name) => nodes.find((n) => n.name === name),
    event: () => {},
    listers,
  });
}

export function nodeInfos(nodes: readonly Node[], pods: readonly Pod[] = []): NodeInfo[] {
  const infos = nodes.map((n) => new NodeInfo(n));
  for (const p of pods) infos.find((n) => n.name === p.spec?.nodeName)?.addPod(new PodInfo(p));
  return infos;
}
