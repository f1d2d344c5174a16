using System.Text;

namespace DeepSharp.Chat.Templates;

/// <summary>
/// Walks the syntax tree and writes the output. One evaluator serves one render: it counts loop iterations
/// and macro calls against <see cref="ChatTemplateLimits"/> and bounds every string it builds.
/// </summary>
internal sealed partial class Evaluator
{
    private enum Flow { Normal, Break, Continue }

    private readonly ChatTemplateLimits _limits;
    private long _steps;
    private int _callDepth;

    public Evaluator(ChatTemplateLimits limits, DateTimeOffset now)
    {
        _limits = limits;
        Now = now;
    }

    /// <summary>The clock that <c>strftime_now</c> reads.</summary>
    public DateTimeOffset Now { get; }

    public int MaxStringLength => _limits.MaxOutputLength;

    public string Render(BlockStmt template, Scope globals)
    {
        var output = new StringBuilder();
        if (Exec(template.Body, new Scope(globals), output) != Flow.Normal)
        {
            throw new ChatTemplateException("'break' or 'continue' outside a loop", template.Position.Line, template.Position.Column);
        }
        return output.ToString();
    }

    /// <summary>Counts one loop iteration or call against the step budget.</summary>
    public void Step()
    {
        if (++_steps > _limits.MaxSteps)
        {
            throw new TemplateRuntimeError($"the template ran more than {_limits.MaxSteps} loop iterations and calls");
        }
    }

    /// <summary>Fails when a string or collection about to be built would exceed the size limit.</summary>
    public void CheckSize(long length)
    {
        if (length > _limits.MaxOutputLength)
        {
            throw new TemplateRuntimeError($"the template built a value longer than {_limits.MaxOutputLength} characters or items");
        }
    }

    private static ChatTemplateException At(SourcePosition p, TemplateRuntimeError e) => new(e.Message, p.Line, p.Column);

    private Flow Exec(IReadOnlyList<Stmt> body, Scope scope, StringBuilder output)
    {
        foreach (var stmt in body)
        {
            Flow flow;
            try
            {
                flow = ExecOne(stmt, scope, output);
            }
            catch (TemplateRuntimeError e)
            {
                throw At(stmt.Position, e);
            }
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }
        return Flow.Normal;
    }

    private Flow ExecOne(Stmt stmt, Scope scope, StringBuilder output)
    {
        switch (stmt)
        {
            case TextStmt text:
                Emit(output, text.Text);
                return Flow.Normal;
            case OutputStmt o:
                Emit(output, ValueOps.ToStr(Eval(o.Value, scope)));
                return Flow.Normal;
            case IfStmt ifs:
                foreach (var (test, branch) in ifs.Branches)
                {
                    if (ValueOps.IsTrue(Eval(test, scope)))
                    {
                        return Exec(branch, scope, output);
                    }
                }
                return ifs.Else is null ? Flow.Normal : Exec(ifs.Else, scope, output);
            case ForStmt f:
                ExecFor(f, scope, output);
                return Flow.Normal;
            case SetStmt set:
                ExecSet(set, scope);
                return Flow.Normal;
            case MacroStmt macro:
                scope.Set(macro.Name, new Callable(macro.Name, (ev, args) => ev.CallMacro(macro, scope, args)));
                return Flow.Normal;
            case BlockStmt block:
                return Exec(block.Body, scope, output);
            case LoopControlStmt control:
                return control.IsBreak ? Flow.Break : Flow.Continue;
            default:
                throw new TemplateRuntimeError($"unsupported statement {stmt.GetType().Name}");
        }
    }

    private void Emit(StringBuilder output, string text)
    {
        CheckSize((long)output.Length + text.Length);
        output.Append(text);
    }

    private void ExecFor(ForStmt f, Scope scope, StringBuilder output)
    {
        var items = ValueOps.Iterate(Eval(f.Iterable, scope));
        var loopScope = new Scope(scope);
        if (f.Filter is not null)
        {
            var kept = new List<object?>();
            foreach (var item in items)
            {
                Step();
                Bind(f.Targets, item, loopScope);
                if (ValueOps.IsTrue(Eval(f.Filter, loopScope)))
                {
                    kept.Add(item);
                }
            }
            items = kept;
        }

        for (int i = 0; i < items.Count; i++)
        {
            Step();
            Bind(f.Targets, items[i], loopScope);
            loopScope.Set("loop", LoopInfo(items, i));
            if (Exec(f.Body, loopScope, output) == Flow.Break)
            {
                break;
            }
        }
        if (items.Count == 0 && f.Else is not null)
        {
            Exec(f.Else, new Scope(scope), output);
        }
    }

    private static void Bind(IReadOnlyList<string> targets, object? item, Scope scope)
    {
        if (targets.Count == 1)
        {
            scope.Set(targets[0], item);
            return;
        }
        if (item is not List<object?> parts)
        {
            throw new TemplateRuntimeError($"cannot unpack a {ValueOps.TypeName(item)} into {targets.Count} names");
        }
        if (parts.Count != targets.Count)
        {
            throw new TemplateRuntimeError($"expected {targets.Count} values to unpack, got {parts.Count}");
        }
        for (int i = 0; i < targets.Count; i++)
        {
            scope.Set(targets[i], parts[i]);
        }
    }

    private static OrderedDictionary<string, object?> LoopInfo(List<object?> items, int i)
    {
        int n = items.Count;
        return new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["index"] = (long)(i + 1),
            ["index0"] = (long)i,
            ["revindex"] = (long)(n - i),
            ["revindex0"] = (long)(n - i - 1),
            ["first"] = i == 0,
            ["last"] = i == n - 1,
            ["length"] = (long)n,
            ["depth"] = 1L,
            ["depth0"] = 0L,
            ["previtem"] = i > 0 ? items[i - 1] : new Undefined("the first iteration has no loop.previtem"),
            ["nextitem"] = i < n - 1 ? items[i + 1] : new Undefined("the last iteration has no loop.nextitem"),
            ["cycle"] = new Callable("cycle", (_, args) =>
                args.Positional.Count == 0
                    ? throw new TemplateRuntimeError("loop.cycle needs at least one argument")
                    : args.Positional[i % args.Positional.Count]),
        };
    }

    private void ExecSet(SetStmt set, Scope scope)
    {
        object? value;
        if (set.Value is not null)
        {
            value = Eval(set.Value, scope);
        }
        else
        {
            var body = new StringBuilder();
            if (Exec(set.Body!, scope, body) != Flow.Normal)
            {
                throw new TemplateRuntimeError("'break' or 'continue' inside a set block");
            }
            value = body.ToString();
        }

        if (set.Attribute is not null)
        {
            if (!scope.TryGet(set.Names[0], out var target) || target is not Namespace ns)
            {
                throw new TemplateRuntimeError($"cannot assign attribute '{set.Attribute}' on '{set.Names[0]}': only namespace() objects take attribute assignment");
            }
            ns.Attributes[set.Attribute] = value;
            return;
        }
        Bind(set.Names, value, scope);
    }

    private string CallMacro(MacroStmt macro, Scope definingScope, CallArguments args)
    {
        Step();
        if (++_callDepth > _limits.MaxCallDepth)
        {
            throw new TemplateRuntimeError($"macro calls nested deeper than {_limits.MaxCallDepth}");
        }
        try
        {
            var scope = new Scope(definingScope);
            var extraKeywords = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in args.Keywords)
            {
                if (!macro.Parameters.Any(p => p.Name == k))
                {
                    extraKeywords[k] = v;
                }
            }
            for (int i = 0; i < macro.Parameters.Count; i++)
            {
                var p = macro.Parameters[i];
                object? value;
                if (i < args.Positional.Count)
                {
                    value = args.Positional[i];
                }
                else if (args.Keywords.TryGetValue(p.Name, out var kw))
                {
                    value = kw;
                }
                else
                {
                    value = p.Default is null ? Undefined.ForName(p.Name) : Eval(p.Default, scope);
                }
                scope.Set(p.Name, value);
            }
            scope.Set("varargs", args.Positional.Skip(macro.Parameters.Count).ToList());
            scope.Set("kwargs", extraKeywords);
            var output = new StringBuilder();
            if (Exec(macro.Body, scope, output) != Flow.Normal)
            {
                throw new TemplateRuntimeError("'break' or 'continue' outside a loop in a macro");
            }
            return output.ToString();
        }
        finally
        {
            _callDepth--;
        }
    }
}
