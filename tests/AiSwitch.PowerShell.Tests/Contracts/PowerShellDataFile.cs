using System.Globalization;
using System.Text;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>
/// Reads a .psd1 (PowerShell's restricted data language) without PowerShell: hashtables <c>@{ k = v }</c>,
/// arrays <c>@( … )</c> and comma lists, single- and double-quoted strings (with '' and `" escapes), numbers,
/// <c>$true</c>/<c>$false</c>/<c>$null</c>, line and block comments. Values become string, long, bool, null,
/// <see cref="IReadOnlyList{T}"/> of object or a case-insensitive dictionary. Anything else is an error with its line.
/// </summary>
internal sealed class PowerShellDataFile
{
    private readonly string _text;
    private int _position;

    private PowerShellDataFile(string text) => _text = text;

    public static IReadOnlyDictionary<string, object?> Parse(string text)
    {
        var reader = new PowerShellDataFile(text);
        reader.SkipTrivia(newlines: true);
        var value = reader.Value();
        reader.SkipTrivia(newlines: true);
        if (reader._position < text.Length)
        {
            throw reader.Error("text after the top-level hashtable");
        }

        return value as IReadOnlyDictionary<string, object?> ?? throw reader.Error("the file is not a hashtable @{ … }");
    }

    /// <summary>A value as a list of strings: a bare string counts as a one-element array, as PowerShell treats it.</summary>
    public static IReadOnlyList<string> Strings(IReadOnlyDictionary<string, object?> data, string key)
        => data.TryGetValue(key, out var value) ? value switch
        {
            null => [],
            string s => [s],
            IReadOnlyList<object?> list => list.Select(item => item as string ?? throw new FormatException($"{key} holds a non-string item '{item}'.")).ToList(),
            _ => throw new FormatException($"{key} is {value.GetType().Name}, not a string or an array of strings."),
        } : [];

    private object? Value()
    {
        var first = Single();
        SkipTrivia(newlines: false);
        if (Peek() != ',')
        {
            return first;
        }

        var items = new List<object?> { first };
        while (Peek() == ',')
        {
            _position++;
            SkipTrivia(newlines: true);
            items.Add(Single());
            SkipTrivia(newlines: false);
        }

        return items;
    }

    private object? Single()
    {
        var c = Peek();
        if (c == '@' && PeekAt(1) == '{')
        {
            _position += 2;
            return Hashtable();
        }

        if (c == '@' && PeekAt(1) == '(')
        {
            _position += 2;
            return Array();
        }

        if (c is '\'' or '"')
        {
            return Quoted();
        }

        if (c == '$')
        {
            var word = Word();
            return word.ToLowerInvariant() switch
            {
                "$true" => true,
                "$false" => false,
                "$null" => null,
                _ => throw Error($"the variable {word} (only $true, $false and $null are data)"),
            };
        }

        if (char.IsDigit(c) || c == '-')
        {
            var word = Word();
            return long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw Error($"'{word}' is not a number");
        }

        throw Error($"unexpected '{c}'");
    }

    private Dictionary<string, object?> Hashtable()
    {
        var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            SkipTrivia(newlines: true);
            if (Peek() == ';')
            {
                _position++;
                continue;
            }

            if (Peek() == '}')
            {
                _position++;
                return result;
            }

            var key = Peek() is '\'' or '"' ? (string)Single()! : Word();
            SkipTrivia(newlines: false);
            Expect('=');
            SkipTrivia(newlines: true);
            if (!result.TryAdd(key, Value()))
            {
                throw Error($"the key '{key}' appears twice");
            }
        }
    }

    private List<object?> Array()
    {
        var items = new List<object?>();
        while (true)
        {
            SkipTrivia(newlines: true);
            if (Peek() is ',' or ';')
            {
                _position++;
                continue;
            }

            if (Peek() == ')')
            {
                _position++;
                return items;
            }

            items.Add(Single());
        }
    }

    // Both quotes double themselves to escape; only double quotes know backtick escapes and $ expansion.
    private string Quoted()
    {
        var quote = _text[_position++];
        var text = new StringBuilder();
        while (true)
        {
            var c = Next(quote == '"' ? "an unterminated double-quoted string" : "an unterminated single-quoted string");
            if (quote == '"' && c == '`')
            {
                text.Append(Next("an escape at the end of the file"));
                continue;
            }

            if (quote == '"' && c == '$')
            {
                throw Error("a double-quoted string with a $ expansion (data files hold literals)");
            }

            if (c == quote)
            {
                if (Peek() != quote)
                {
                    return text.ToString();
                }

                _position++;
            }

            text.Append(c);
        }
    }

    private string Word()
    {
        var start = _position;
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] is '_' or '$' or '-' or '.'))
        {
            _position++;
        }

        return start == _position ? throw Error($"unexpected '{Peek()}'") : _text[start.._position];
    }

    private void SkipTrivia(bool newlines)
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '#')
            {
                while (_position < _text.Length && _text[_position] != '\n')
                {
                    _position++;
                }
            }
            else if (c == '<' && PeekAt(1) == '#')
            {
                var end = _text.IndexOf("#>", _position + 2, StringComparison.Ordinal);
                _position = end < 0 ? throw Error("an unterminated block comment") : end + 2;
            }
            else if (c == '`' && PeekAt(1) is '\n' or '\r')
            {
                _position += 2; // line continuation
            }
            else if (c is ' ' or '\t' or '\r' || (newlines && c == '\n'))
            {
                _position++;
            }
            else
            {
                return;
            }
        }
    }

    private void Expect(char expected)
    {
        if (Peek() != expected)
        {
            throw Error($"expected '{expected}' but found '{Peek()}'");
        }

        _position++;
    }

    private char Next(string whatIfMissing)
        => _position < _text.Length ? _text[_position++] : throw Error(whatIfMissing);

    private char Peek() => PeekAt(0);

    private char PeekAt(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

    private FormatException Error(string what)
    {
        var line = 1 + _text.AsSpan(0, Math.Min(_position, _text.Length)).Count('\n');
        return new FormatException($"Line {line}: {what}.");
    }
}
