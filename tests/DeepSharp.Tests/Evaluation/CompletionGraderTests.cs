using DeepSharp.Chat;
using DeepSharp.Evaluation;

namespace DeepSharp.Tests.Evaluation;

public class CompletionGraderTests
{
    [Theory]
    [InlineData("1+2+0=3\n</think>\n\n3<｜end▁of▁sentence｜>", "3", true, true)]
    [InlineData("1+2+0=3\n</think>\n\n4<｜end▁of▁sentence｜>", "3", true, false)]
    [InlineData("1+2+0=3\n</think>\n\n3", "3", true, true)]
    [InlineData("1+2+0=3\n\n3<｜end▁of▁sentence｜>", "3", false, false)]
    [InlineData("1+2+0=3\n</think>\n\nthree", "3", false, false)]
    [InlineData("1+2+0=3\n</think>\n\n3</think>3", "3", false, false)]
    [InlineData("<think>1+2</think>3", "3", false, false)]
    [InlineData("</think>", "3", false, false)]
    public void Grades_format_and_answer(string completion, string expected, bool wellFormed, bool correct)
    {
        var grade = CompletionGrader.Grade(completion, expected);
        Assert.Equal(wellFormed, grade.WellFormed);
        Assert.Equal(correct, grade.Correct);
        Assert.Equal((correct ? 1.0 : 0.0) + (wellFormed ? 0.1 : 0.0), grade.Reward(), 12);
    }

    [Fact]
    public void Separates_reasoning_from_answer()
    {
        var grade = CompletionGrader.Grade("7*3+0=21\n</think>\n\n21", "21");
        Assert.Equal("7*3+0=21\n", grade.Reasoning);
        Assert.Equal("21", grade.Answer);
    }

    [Fact]
    public void Evaluator_counts_correct_and_well_formed_answers()
    {
        var task = ReasoningTasks.Get("arith-easy");
        var problems = TaskEvaluator.Problems(task, 10, 3);
        // A generator that answers the even-numbered questions correctly and the others without closing the reasoning.
        var result = TaskEvaluator.Evaluate(task, 10, 3, qs => [.. qs.Select((q, i) => i % 2 == 0 ? problems[i].Completion : "thinking")]);
        Assert.Equal(5, result.Correct);
        Assert.Equal(5, result.WellFormed);
        Assert.Equal(50, result.AccuracyPercent);
    }

    [Fact]
    public void Prompt_with_earlier_turns_is_what_the_bundled_chat_template_renders()
    {
        var earlier = new ReasoningProblem[] { new("What is 2 + 3?", "3+2+0=5", "5"), new("What is 40 - 1?", "0-1-0=9\n4-0-1=3", "39") };
        var messages = new List<ChatMessage>();
        foreach (var p in earlier)
        {
            messages.Add(ChatMessage.User(p.Question));
            messages.Add(ChatMessage.Assistant(R1Prompt.ThinkOpen + "\n" + p.Completion.Replace(R1Prompt.Eos, "", StringComparison.Ordinal)));
        }
        messages.Add(ChatMessage.User("What is 7 * 8?"));
        string rendered = ChatTemplate.Parse(R1Prompt.ChatTemplate).Render(new ChatTemplateContext
        {
            Messages = messages, AddGenerationPrompt = true, BosToken = R1Prompt.Bos, EosToken = R1Prompt.Eos,
        });
        Assert.Equal(rendered, R1Prompt.Render(earlier, "What is 7 * 8?"));
        Assert.Equal(R1Prompt.Render("What is 7 * 8?"), R1Prompt.Render([], "What is 7 * 8?"));
    }

    [Fact]
    public void Prompt_ends_like_r1s_generation_prompt()
    {
        Assert.Equal("<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜><think>\n", R1Prompt.Render("Hi"));
    }
}
