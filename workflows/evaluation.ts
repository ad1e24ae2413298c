/** 双向考核评议: both ways, until everyone has rated or the window runs out; then the case closes. */
import { condition } from '@temporalio/workflow';
import { closeCase, everyoneRated, openEvaluation } from '../domain/evaluation';
import type { LiveCase } from './live-case';

export async function evaluation(live: LiveCase): Promise<void> {
  if (!live.state.evaluation || live.state.evaluation.closedAt) live.state = openEvaluation(live.state, new Date());
  const evaluateBy = Date.parse(live.state.evaluation!.evaluateBy);
  const rated = await condition(() => everyoneRated(live.state), Math.max(1, evaluateBy - Date.now()));
  const at = new Date();
  live.move(closeCase(live.state, at, rated), at);
}
