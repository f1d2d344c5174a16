using System.Runtime.CompilerServices;

namespace DeepSharp.Chat.Templates;

/// <summary>Expression evaluation.</summary>
internal sealed partial class Evaluator
{
    public object? Eval(Expr expr, Scope scope)
    {
        try
        {
            // Macros may recurse through deep expressions; fail cleanly before the thread's stack runs out.
            RuntimeHelpers.EnsureSufficientExecutionStack();
            return EvalCore(expr, scope);
        }
        catch (InsufficientExecutionStackException)
        {
            throw new ChatTemplateException("the template nests too deeply to evaluate", expr.Position.Line, expr.Position.Column);
        }
        catch (TemplateRuntimeError e)
        {
            throw At(expr.Position, e);
        }
        catch (TemplateRaise r)
        {
            throw new ChatTemplateRaisedException(r.Message, expr.Position.Line, expr.Position.Column);
        }
    }

    private object? EvalCore(Expr expr, Scope scope)
    {
        switch (expr)
        {
            case LiteralExpr lit:
                return lit.Value;
            case NameExpr name:
                return scope.TryGet(name.Name, out var v) ? v : Undefined.ForName(name.Name);
            case ListExpr list:
            {
                var items = new List<object?>(list.Items.Count);
                foreach (var item in list.Items)
                {
                    items.Add(Eval(item, scope));
                }
                return items;
            }
            case DictExpr dict:
            {
                var d = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (k, val) in dict.Pairs)
                {
                    if (Eval(k, scope) is not string key)
                    {
                        throw new TemplateRuntimeError("dict keys must be strings");
                    }
                    d[key] = Eval(val, scope);
                }
                return d;
            }
            case AttributeExpr attr:
                return Members.GetAttribute(Eval(attr.Target, scope), attr.Name);
            case ItemExpr item:
                return Members.GetItem(Eval(item.Target, scope), Eval(item.Key, scope));
            case SliceExpr slice:
                return Members.Slice(
                    Eval(slice.Target, scope),
                    OptionalIndex(slice.Start, scope),
                    OptionalIndex(slice.Stop, scope),
                    OptionalIndex(slice.Step, scope));
            case CallExpr call:
                return Call(Eval(call.Callee, scope), EvalArguments(call.Arguments, scope));
            case FilterExpr filter:
                return Filters.Apply(this, filter.Name, Eval(filter.Value, scope), EvalArguments(filter.Arguments, scope));
            case TestExpr test:
                return Tests.Run(this, test.Name, Eval(test.Value, scope), EvalArguments(test.Arguments, scope)) != test.Negated;
            case UnaryExpr unary:
                return Unary(unary.Operator, Eval(unary.Operand, scope));
            case BinaryExpr { Operator: "and" } and:
            {
                var left = Eval(and.Left, scope);
                return ValueOps.IsTrue(left) ? Eval(and.Right, scope) : left;
            }
            case BinaryExpr { Operator: "or" } or:
            {
                var left = Eval(or.Left, scope);
                return ValueOps.IsTrue(left) ? left : Eval(or.Right, scope);
            }
            case BinaryExpr bin:
                return Operators.Binary(this, bin.Operator, Eval(bin.Left, scope), Eval(bin.Right, scope));
            case CompareExpr cmp:
            {
                var left = Eval(cmp.First, scope);
                foreach (var (op, operand) in cmp.Rest)
                {
                    var right = Eval(operand, scope);
                    if (!Operators.Compare(op, left, right))
                    {
                        return false;
                    }
                    left = right;
                }
                return true;
            }
            case ConditionalExpr cond:
                return ValueOps.IsTrue(Eval(cond.Test, scope))
                    ? Eval(cond.Then, scope)
                    : cond.Else is null ? Undefined.Anonymous : Eval(cond.Else, scope);
            default:
                throw new TemplateRuntimeError($"unsupported expression {expr.GetType().Name}");
        }
    }

    private long? OptionalIndex(Expr? e, Scope scope)
    {
        if (e is null)
        {
            return null;
        }
        return Eval(e, scope) switch
        {
            null => null,
            long l => l,
            bool b => b ? 1 : 0,
            var other => throw new TemplateRuntimeError($"slice indices must be integers or None, not {ValueOps.TypeName(other)}"),
        };
    }

    private CallArguments EvalArguments(ArgumentList list, Scope scope)
    {
        if (list.Positional.Count == 0 && list.Keywords.Count == 0)
        {
            return CallArguments.None;
        }
        var positional = new List<object?>(list.Positional.Count);
        foreach (var p in list.Positional)
        {
            positional.Add(Eval(p, scope));
        }
        var keywords = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in list.Keywords)
        {
            keywords[name] = Eval(value, scope);
        }
        return new CallArguments(positional, keywords);
    }

    public object? Call(object? callee, CallArguments args) => callee switch
    {
        Callable c => c.Invoke(this, args),
        Undefined u => throw new TemplateRuntimeError(u.Description),
        _ => throw new TemplateRuntimeError($"'{ValueOps.TypeName(callee)}' object is not callable"),
    };

    private static object? Unary(string op, object? value)
    {
        if (op == "not")
        {
            return !ValueOps.IsTrue(value);
        }
        if (value is Undefined u)
        {
            throw new TemplateRuntimeError(u.Description);
        }
        return (op, value) switch
        {
            ("-", long l) => l == long.MinValue ? throw new TemplateRuntimeError("integer overflow") : -l,
            ("-", double d) => -d,
            ("-", bool b) => b ? -1L : 0L,
            ("+", long or double) => value,
            ("+", bool b) => b ? 1L : 0L,
            _ => throw new TemplateRuntimeError($"bad operand type for unary {op}: '{ValueOps.TypeName(value)}'"),
        };
    }
}
