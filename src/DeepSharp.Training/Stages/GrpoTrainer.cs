using DeepSharp.Evaluation;
using DeepSharp.Training.Modeling;
using DeepSharp.Training.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepSharp.Training.Stages;

/// <summary>
/// Stage 3: Group Relative Policy Optimization. Each step samples a group of completions per prompt, rewards
/// them by rule (correct answer, well-formed <c>&lt;think&gt;</c> output), normalises rewards within each group and
/// takes one policy-gradient step with a per-token k3 KL penalty to the frozen reference model.
/// </summary>
public static class GrpoTrainer
{
    /// <summary>Reinforces <paramref name="policy"/> in <paramref name="dir"/> against the frozen <paramref name="reference"/>.</summary>
    public static TinyDeepSeek Run(TinyDeepSeek policy, TinyDeepSeek reference, BpeTokenizer tokenizer, IReasoningTask task, StageOptions options, GrpoOptions grpo, string dir, TextWriter? progress = null)
    {
        reference.eval();
        foreach (var p in reference.parameters())
        {
            p.requires_grad = false;
        }
        return StageRunner.Run("grpo", dir, policy, options, ["reward", "accuracy", "format", "kl", "completion_tokens", "eval_accuracy"], (step, random) =>
        {
            double evalAccuracy = double.NaN;
            if (grpo.EvalEvery > 0 && step % grpo.EvalEvery == 0)
            {
                evalAccuracy = TaskEvaluator.Evaluate(task, grpo.EvalCount, 1, q => Decoder.CompleteGreedy(policy, tokenizer, q, grpo.MaxNewTokens)).AccuracyPercent;
            }
            var problems = Enumerable.Range(0, options.BatchSize).Select(_ => task.Generate(random, ProblemSplit.Train)).ToList();
            var prompts = problems.Select(p => tokenizer.Encode(R1Prompt.Render(p.Question)).ToArray()).ToList();
            var completions = new int[problems.Count * grpo.GroupSize][];
            foreach (var group in Enumerable.Range(0, problems.Count).GroupBy(i => prompts[i].Length))
            {
                int[] members = [.. group];
                var batch = members.SelectMany(i => Enumerable.Repeat(prompts[i], grpo.GroupSize)).ToList();
                var generated = Decoder.Generate(policy, batch, grpo.MaxNewTokens, grpo.Temperature, tokenizer.EosId);
                for (int m = 0; m < members.Length; m++)
                {
                    for (int g = 0; g < grpo.GroupSize; g++)
                    {
                        completions[(members[m] * grpo.GroupSize) + g] = generated[(m * grpo.GroupSize) + g];
                    }
                }
            }
            var grades = completions.Select((c, i) => CompletionGrader.Grade(tokenizer.Decode(c), problems[i / grpo.GroupSize].Answer)).ToList();
            var rewards = grades.Select((g, i) => g.Reward(grpo.FormatReward)
                + (grpo.StepReward > 0 ? grpo.StepReward * StepCredit.Score(g.Reasoning, problems[i / grpo.GroupSize].Reasoning) : 0)).ToList();
            var advantages = GroupAdvantages.Compute(rewards, grpo.GroupSize);

            policy.train();
            var (inputs, targets, mask, length) = Pack(prompts, completions, grpo.GroupSize, tokenizer.EosId);
            int n = completions.Length;
            var x = tensor(inputs, [n, length]);
            var y = tensor(targets, [n, length]).unsqueeze(-1);
            var maskT = tensor(mask, [n, length]);
            var logp = nn.functional.log_softmax(policy.Forward(x), -1).gather(-1, y).squeeze(-1);
            Tensor refLogp;
            using (no_grad())
            {
                refLogp = nn.functional.log_softmax(reference.Forward(x), -1).gather(-1, y).squeeze(-1);
            }
            var a = tensor(advantages.Select(v => (float)v).ToArray()).unsqueeze(-1);
            var delta = refLogp - logp;
            var kl = delta.exp() - delta - 1;
            // exp(logp − logp.detach()) is 1 but carries ∇logp: the single-update form of GRPO's clipped ratio.
            var perToken = -((logp - logp.detach()).exp() * a) + (grpo.KlWeight * kl);
            var tokensPerSeq = maskT.sum(1).clamp_min(1);
            var loss = ((perToken * maskT).sum(1) / tokensPerSeq).mean();
            double klMean = ((kl * maskT).sum() / maskT.sum().clamp_min(1)).item<float>();
            return new StepResult(loss, (long)n * length,
            [
                rewards.Average(),
                100.0 * grades.Count(g => g.Correct) / grades.Count,
                100.0 * grades.Count(g => g.WellFormed) / grades.Count,
                klMean,
                completions.Average(c => c.Length),
                evalAccuracy,
            ]);
        }, progress);
    }

    /// <summary>Prompt + completion rows right-padded with <paramref name="padId"/>; the mask marks completion targets.</summary>
    internal static (long[] Inputs, long[] Targets, float[] Mask, int Length) Pack(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, int groupSize, int padId)
    {
        int length = completions.Select((c, i) => prompts[i / groupSize].Length + c.Length).Max() - 1;
        var inputs = new long[completions.Count * length];
        var targets = new long[completions.Count * length];
        var mask = new float[completions.Count * length];
        Array.Fill(inputs, padId);
        Array.Fill(targets, padId);
        for (int r = 0; r < completions.Count; r++)
        {
            int[] prompt = prompts[r / groupSize];
            int[] all = [.. prompt, .. completions[r]];
            for (int i = 0; i + 1 < all.Length; i++)
            {
                inputs[(r * length) + i] = all[i];
                targets[(r * length) + i] = all[i + 1];
                mask[(r * length) + i] = i + 1 >= prompt.Length ? 1 : 0;
            }
        }
        return (inputs, targets, mask, length);
    }
}
