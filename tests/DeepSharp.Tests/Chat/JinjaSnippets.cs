namespace DeepSharp.Tests.Chat;

/// <summary>A small template exercising one Jinja feature, with its variables as JSON.</summary>
public sealed record JinjaSnippet(string Id, string Template, string Variables = "{}");

/// <summary>
/// Feature snippets checked against the reference renderer. Only behaviour where @huggingface/jinja agrees
/// with Python's Jinja belongs here; where the two differ (printing booleans and None, string length in
/// UTF-16 units, <c>strip(chars)</c>) the Python behaviour is tested separately in <see cref="JinjaPythonSemanticsTests"/>.
/// </summary>
public static class JinjaSnippets
{
    private const string Data = """
        {"d": {"k": 1, "a": "x", "nested": {"list": [1, 2.5, "é", true, null]}},
         "msgs": [{"role": "system", "content": "S"}, {"role": "user", "content": "U1"},
                  {"role": "assistant", "content": "A1"}, {"role": "user", "content": "U2"}],
         "tools": [{"type": "function", "function": {"name": "f1"}}, {"type": "function", "function": {"name": "f2"}}]}
        """;

    public static IReadOnlyList<JinjaSnippet> All { get; } =
    [
        new("ws_lstrip_blocks", "<ul>\n  {% for x in [1, 2] %}\n  <li>{{ x }}</li>\n  {% endfor %}\n</ul>"),
        new("ws_lstrip_not_after_text", "a {% if true %}b{% endif %}\n  c  {% if true %}d{% endif %}"),
        new("ws_trim_blocks", "{% if true %}\nA{% endif %}\nB\n{# c #}\nC"),
        new("ws_minus_both_sides", "a  \n {%- if true -%} \n b \n {%- endif -%} \n c"),
        new("ws_expression_minus", "a \n {{- 'x' -}} \n b {{ 'y' }} \n c"),
        new("ws_comment_minus", "a\n  {#- comment -#}\n  b"),
        new("ws_trailing_newline_dropped", "abc\n"),
        new("set_in_loop_does_not_leak", "{% set x = 1 %}{% for i in [1, 2] %}{% set x = i %}{% endfor %}{{ x }}"),
        new("set_in_if_is_visible", "{% if true %}{% set x = 5 %}{% endif %}{{ x }}"),
        new("namespace_carries_state", "{% set ns = namespace(n=0, s='') %}{% for i in range(5) %}{% set ns.n = ns.n + i %}{% set ns.s = ns.s ~ i %}{% endfor %}{{ ns.n }} {{ ns.s }}"),
        new("loop_variables", "{% for x in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{% if loop.first %}F{% endif %}{% if loop.last %}L{% endif %}{{ loop.length }}{{ loop.revindex }}{{ loop.revindex0 }}|{% endfor %}"),
        new("loop_inline_filter", "{% for x in range(10) if x is even %}{{ x }}{% endfor %}"),
        new("loop_else", "{% for x in [] %}x{% else %}empty{% endfor %}"),
        new("loop_break_continue", "{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}"),
        new("loop_over_dict_keys", "{% for k in d %}{{ k }},{% endfor %}", Data),
        new("tuple_unpacking", "{% for k, v in d.items() %}{% if v is number %}{{ k }}={{ v }};{% endif %}{% endfor %}", Data),
        new("nested_loops", "{% for a in [1, 2] %}{% for b in ['x', 'y'] %}{{ a }}{{ b }}{{ loop.index }} {% endfor %}{{ loop.index }}|{% endfor %}"),
        new("dict_get", "{{ d.get('a') }}{{ d.get('zz', 'fallback') }}{{ d['a'] }}{{ d.a }}", Data),
        new("slices", "{{ 'abcdef'[1:4] }} {{ 'abcdef'[::-1] }} {{ 'abcdef'[-2:] }} {{ 'abcdef'[:-1] }} {{ 'abcdef'[::2] }} {{ [1, 2, 3, 4][1:] | length }}"),
        new("list_slice_loop", "{% for m in msgs[1:] %}{{ m.role }} {% endfor %}|{% for m in msgs[::-1] %}{{ m.content }}{% endfor %}", Data),
        new("negative_index", "{{ msgs[-1].content }}{{ msgs[0]['content'] }}{{ 'abc'[-1] }}", Data),
        new("split", "{{ 'a,b,,c'.split(',') | length }}-{{ 'a b  c'.split() | join('|') }}-{{ 'k=v=w'.split('=', 1)[1] }}-{{ 'x</think>y</think>z'.split('</think>')[-1] }}-{{ 'x</think>y</think>z'.split('</think>', 1)[1] }}"),
        new("strip_default_whitespace", "[{{ '  hi \n'.strip() }}][{{ '  hi  '.lstrip() }}][{{ '  hi  '.rstrip() }}]"),
        new("startswith_endswith", "{{ 'y' if 'hello'.startswith('he') else 'n' }}{{ 'y' if 'hello'.endswith('lo') else 'n' }}{{ 'y' if 'hello'.startswith('lo') else 'n' }}"),
        new("tests", "{{ 'y' if x is defined else 'n' }}{{ 'y' if none is none else 'n' }}{{ 'y' if 1 is not none else 'n' }}{{ 'y' if 's' is string else 'n' }}{{ 'y' if 1 is number else 'n' }}{{ 'y' if d is mapping else 'n' }}{{ 'y' if [1] is iterable else 'n' }}{{ 'y' if false is false else 'n' }}{{ 'y' if true is true else 'n' }}{{ 'y' if 3 is odd else 'n' }}{{ 'y' if d.missing is undefined else 'n' }}", Data),
        new("membership", "{{ 'y' if 'a' in 'cat' else 'n' }}{{ 'y' if 2 in [1, 2] else 'n' }}{{ 'y' if 'k' in d else 'n' }}{{ 'y' if 'z' not in d else 'n' }}{{ 'y' if 'q' not in 'cat' else 'n' }}", Data),
        new("arithmetic", "{{ 1 + 2 * 3 }} {{ 7 // 2 }} {{ 7 % 3 }} {{ 2 ** 10 }} {{ 10 - 3 - 2 }} {{ (1 + 2) * 3 }} {{ 7 / 2 }} {{ -3 + 1 }}"),
        new("comparisons", "{{ 'y' if 1 < 2 else 'n' }}{{ 'y' if 2 >= 2 else 'n' }}{{ 'y' if 1 == 1.0 else 'n' }}{{ 'y' if 'a' != 'b' else 'n' }}"),
        new("string_concatenation", "{{ 'a' + 'b' }} {{ 'a' ~ 1 ~ 'b' }}"),
        new("logic", "{{ 'y' if not x is defined else 'n' }}{{ 'y' if (true and not false) or false else 'n' }}{{ 'y' if [] or 'z' else 'n' }}{{ '' or 'fallback' }}{{ 'a' and 'b' }}"),
        new("conditional_expression", "{{ 'a' if false else 'b' }}{{ 'c' if true }}[{{ 'd' if false }}]"),
        new("filters_basic", "{{ '  x ' | trim }}|{{ 'abc' | upper }}|{{ 'ABC' | lower }}|{{ [1, 2, 3] | length }}|{{ undefined_var | default('d') }}|{{ 42 | string }}|{{ [3, 1, 2] | first }}|{{ [3, 1, 2] | last }}|{{ ['a', 'b'] | join(', ') }}|{{ 'hello world' | title }}|{{ 'hello' | capitalize }}"),
        new("filter_default_boolean", "{{ '' | default('empty', true) }}|{{ '' | default('empty') }}|{{ nothing | default('x') }}"),
        new("filter_chain_precedence", "{{ 'a' + 'b' | upper }}{{ ('a' + 'b') | upper }}"),
        new("tojson_compact", "{{ d | tojson }}", Data),
        new("tojson_indent", "{{ d | tojson(indent=2) }}", Data),
        new("tojson_escapes", "{{ 'quote \" back \\\\ nl \\n tab \\t é 🙂' | tojson }}"),
        new("tojson_literal", "{{ {'a': 1, 'b': [1, 2], 'c': none, 'd': true} | tojson }}{{ [] | tojson(indent=2) }}{{ {} | tojson(indent=2) }}"),
        new("map_selectattr", "{{ tools | map(attribute='function') | map(attribute='name') | join(',') }}|{{ msgs | selectattr('role', 'equalto', 'user') | map(attribute='content') | join(' ') }}", Data),
        new("items_filter", "{% for k, v in {'x': 1, 'y': 2} | items %}{{ k }}{{ v }}{% endfor %}"),
        new("macro", "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet(name='C') }}"),
        new("macro_sees_namespace", "{% set ns = namespace(open=true) %}{% macro close() %}{% if ns.open %}[closed]{% set ns.open = false %}{% endif %}{% endmacro %}{{ close() }}{{ close() }}"),
        new("set_block", "{% set x %}inner {{ 1 + 1 }}{% endset %}[{{ x }}]"),
        new("string_literal_escapes", "{{ 'a\\nb' }}|{{ \"it's\" }}|{{ 'tab\\tend' }}|{{ 'q\\'q' }}|{{ 'uni\\u00e9' }}"),
        new("replace", "{{ 'aXbXc'.replace('X', '-') }} {{ 'aXbX' | replace('X', '') }}"),
        new("int_filter", "{{ '42' | int + 1 }} {{ 3.7 | int }}"),
        new("raise_exception", "before{{ raise_exception('Conversation roles must alternate') }}after"),
        new("undefined_prints_empty", "[{{ nothing }}][{{ d.missing }}]", Data),
        new("float_printing", "{{ 2.5 }} {{ 1.0 }} {{ 0.1 + 0.2 }} {{ 10 / 4 }}"),
        new("dict_literal_access", "{{ {'a': {'b': 'deep'}}['a']['b'] }}{{ ['x', 'y'][1] }}"),
        new("unicode_text", "Ünïcödé 你好 🙂 <｜User｜>{{ '<｜Assistant｜>' }}"),
    ];

    public static JinjaSnippet Get(string id) => All.Single(s => s.Id == id);
}
