using System;
using System.Collections.Immutable;
using System.Threading;
using AtomicContext.Analyzers.Facts;
using AtomicContext.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AtomicContext.Analyzers.Flow
{
    /// <summary>
    /// The facts of a wrapper — a method whose body is one call of an ordinary static method, <c>return f(args);</c>,
    /// <c>f(args);</c> or <c>=&gt; f(args)</c>, its arguments made of the wrapper's parameters, literals and
    /// built-in operators on primitive values — told from its syntax and the symbols of its names, with no
    /// operation tree made and no walk: exactly what <see cref="BodyWalker"/> finds in such a body (one call
    /// reached at depth 0, one exit after it; <c>ForwardingBodyTests</c> compares the two). Kernel code is full of
    /// such wrappers (static inline helpers, one link of a long call chain), and making a body's operations costs
    /// more than everything else done for it.
    /// <para>
    /// Anything else answers null and the body is walked: another shape, a syntax error, a wrapper that is
    /// [NoMigrate], async or not ordinary, a callee that enters, leaves or is a region, is per-CPU or [NoMigrate],
    /// is generic, an instance, extension, delegate or local function, or takes <c>ref</c>, <c>out</c>, <c>in</c>,
    /// <c>params</c> or non-primitive parameters, and any argument that could call something itself (a property,
    /// a field, a user-defined operator or conversion, another call).
    /// </para>
    /// </summary>
    internal static class ForwardingBody
    {
        // How many nodes an argument may have: the shapes looked for are small; a bigger one is walked.
        private const int MaxArgumentNodes = 32;

        /// <summary>The body's facts when it is a wrapper this reads; null when the body must be walked.</summary>
        public static BodyFacts? TryFacts(IMethodSymbol owner, SyntaxNode declaration, SemanticModel model, FactsResolver facts, Func<IMethodSymbol, string?> keyOf, CancellationToken ct)
        {
            // Syntax first, cheapest first: most bodies are not one statement.
            if (!(declaration is MethodDeclarationSyntax method)) return null;
            var block = method.Body;
            SyntaxNode statement;
            ExpressionSyntax? expression;
            if (block != null)
            {
                if (block.Statements.Count != 1) return null;
                statement = block.Statements[0];
                expression = statement switch
                {
                    ReturnStatementSyntax r => r.Expression,
                    ExpressionStatementSyntax e => e.Expression,
                    _ => null,
                };
            }
            else if (method.ExpressionBody is { } arrow)
            {
                statement = arrow;
                expression = arrow.Expression;
            }
            else
            {
                return null;
            }
            if (!(expression is InvocationExpressionSyntax invocation) || !PlainTarget(invocation.Expression)) return null;
            var arguments = invocation.ArgumentList.Arguments;
            int budget = MaxArgumentNodes;
            foreach (var argument in arguments)
            {
                if (argument.NameColon != null || !argument.RefKindKeyword.IsKind(SyntaxKind.None) || !PlainValue(argument.Expression, ref budget)) return null;
            }
            if (method.ContainsDiagnostics) return null;

            // The wrapper: an ordinary method, not [NoMigrate] (its body would start in a region), returning what
            // its statement says it does.
            if (owner.MethodKind != MethodKind.Ordinary || owner.IsAsync || facts.Get(owner).NoMigrate) return null;
            // => f(args) returns the call's value, or for a void method makes the call and ends the body.
            bool returns = block is null ? !owner.ReturnsVoid : statement is ReturnStatementSyntax;
            if (returns == owner.ReturnsVoid || owner.ReturnsByRef || owner.ReturnsByRefReadonly) return null;

            // The callee: an ordinary static, non-generic method of a non-generic type, found without error — by
            // name where C# can only find that one method, else from the call's symbol.
            var callee = invocation.Expression is IdentifierNameSyntax simple ? LookUpSimpleName(owner, simple.Identifier.ValueText, arguments) : null;
            callee ??= model.GetSymbolInfo(invocation, ct).Symbol as IMethodSymbol;
            if (callee is null || callee.MethodKind != MethodKind.Ordinary || !callee.IsStatic
                || callee.IsGenericMethod || callee.IsVararg || callee.ReducedFrom != null || InGenericType(callee))
                return null;
            // (The public symbol's Parameters makes a new array at each call: asked once.)
            var calleeParameters = callee.Parameters;
            if (calleeParameters.Length != arguments.Count) return null;
            foreach (var parameter in calleeParameters)
            {
                if (parameter.RefKind != RefKind.None || parameter.IsParams || !IsPrimitive(parameter.Type)) return null;
            }
            // A static method named through an instance is an error the symbol shows (StaticInstanceMismatch, no
            // symbol), so a qualifier that binds is a type or namespace: nothing is evaluated before the call.
            var calleeFacts = facts.Get(callee);
            if (calleeFacts.IsRegionCall || calleeFacts.NoMigrate || calleeFacts.PerCpu) return null;

            // The arguments: every name a by-value parameter of the wrapper of a primitive type (so every operator
            // on them is built in; a name in a body with no local binds to the parameter so named, if any).
            var ownerParameters = owner.Parameters;
            ArgValue[]? values = null;
            for (int i = 0; i < arguments.Count; i++)
            {
                var value = arguments[i].Expression;
                int names = 0;
                if (!NamesOnlyParameters(value, ownerParameters, ref names)) return null;
                if (!calleeFacts.IntegralParameter) continue;
                var classified = Classify(value, names, ownerParameters, model, ct);
                if (classified.Kind == ArgKind.Other) continue;
                values ??= new ArgValue[calleeParameters.Length];
                values[i] = classified;
            }
            var args = values is null ? ImmutableArray<ArgValue>.Empty : ImmutableArray.Create(values);

            var site = CallSite.Create(Display.Name(callee, calleeFacts), keyOf(callee), calleeFacts.SourceBody, calleeFacts, null, invocation, CallKind.Invocation, args);
            site.State = FlowState.AtDepthZero;
            // No exits: a wrapper has no region calls, so no exit of it is ever checked (BodyFacts.Exits).
            return new BodyFacts(keyOf(owner), BodyWalker.OwnerLocation(owner), 0, false, new[] { site }, BodyFacts.NoExits,
                BodyFacts.NoSuspends, BodyFacts.NoPerCpuUses, hasRegionCalls: false, allRegionCallsConditional: false, failed: false, nested: null);
        }

        /// <summary>
        /// The method a call <c>f(args)</c> in <paramref name="owner"/>'s one-statement body binds to, found by name when
        /// C# can bind it to nothing else; null when that cannot be told this way (the call's symbol is asked then).
        /// A simple name in such a body is looked up in the owner's parameters and type parameters (the body declares
        /// no local), then among the members of its type and base classes: when the owner is not generic, has no
        /// parameter so named, its type is a non-generic class or struct with exactly one member so named, a static
        /// ordinary non-generic method, and no base class has a member so named, that method is the whole method
        /// group, and the call binds to it when it is applicable: as many by-value arguments as parameters, each
        /// argument's type the parameter's or an <c>int</c> for a <c>long</c> (types told from the wrapper's
        /// parameters, literals and the built-in operators on them; anything else is not told here).
        /// </summary>
        internal static IMethodSymbol? LookUpSimpleName(IMethodSymbol owner, string name, SeparatedSyntaxList<ArgumentSyntax> arguments)
        {
            if (owner.Arity != 0) return null;
            var ownerParameters = owner.Parameters;
            if (ParameterNamed(ownerParameters, name) != null) return null;
            var type = owner.ContainingType;
            if (type is null || type.TypeKind != TypeKind.Class && type.TypeKind != TypeKind.Struct || type.IsGenericType) return null;
            var members = type.GetMembers(name);
            if (members.Length != 1 || !(members[0] is IMethodSymbol method) || method.MethodKind != MethodKind.Ordinary || !method.IsStatic
                || method.Arity != 0 || method.IsVararg)
                return null;
            for (var b = type.BaseType; b != null; b = b.BaseType)
            {
                if (!b.GetMembers(name).IsEmpty) return null;
            }
            var parameters = method.Parameters;
            if (parameters.Length != arguments.Count) return null;
            for (int i = 0; i < parameters.Length; i++)
            {
                var parameter = parameters[i];
                if (parameter.RefKind != RefKind.None || parameter.IsParams) return null;
                var argument = TypeOf(arguments[i].Expression, ownerParameters);
                var wanted = parameter.Type.SpecialType;
                if (argument == SpecialType.None || argument != wanted && !(argument == SpecialType.System_Int32 && wanted == SpecialType.System_Int64))
                    return null;
            }
            return method;
        }

        /// <summary>The type of a plain value (<see cref="PlainValue"/>) where it is one of the few told here; None otherwise.</summary>
        private static SpecialType TypeOf(ExpressionSyntax value, ImmutableArray<IParameterSymbol> owner)
        {
            switch (value)
            {
                case IdentifierNameSyntax name:
                    return ParameterNamed(owner, name.Identifier.ValueText) is { RefKind: RefKind.None } parameter ? parameter.Type.SpecialType : SpecialType.None;
                case LiteralExpressionSyntax literal:
                    return literal.Token.Value switch
                    {
                        int _ => SpecialType.System_Int32,
                        long _ => SpecialType.System_Int64,
                        bool _ => SpecialType.System_Boolean,
                        _ => SpecialType.None,
                    };
                case ParenthesizedExpressionSyntax parenthesized:
                    return TypeOf(parenthesized.Expression, owner);
                case PrefixUnaryExpressionSyntax unary:
                    {
                        var operand = TypeOf(unary.Operand, owner);
                        if (unary.IsKind(SyntaxKind.LogicalNotExpression)) return operand == SpecialType.System_Boolean ? operand : SpecialType.None;
                        return operand == SpecialType.System_Int32 || operand == SpecialType.System_Int64 ? operand : SpecialType.None;
                    }
                case BinaryExpressionSyntax binary:
                    {
                        var left = TypeOf(binary.Left, owner);
                        var right = TypeOf(binary.Right, owner);
                        bool integral = left == SpecialType.System_Int32 || left == SpecialType.System_Int64;
                        switch (binary.Kind())
                        {
                            case SyntaxKind.LeftShiftExpression:
                            case SyntaxKind.RightShiftExpression:
                                return integral && right == SpecialType.System_Int32 ? left : SpecialType.None;
                            case SyntaxKind.EqualsExpression:
                            case SyntaxKind.NotEqualsExpression:
                                return left == right && (integral || left == SpecialType.System_Boolean) ? SpecialType.System_Boolean : SpecialType.None;
                            case SyntaxKind.LessThanExpression:
                            case SyntaxKind.LessThanOrEqualExpression:
                            case SyntaxKind.GreaterThanExpression:
                            case SyntaxKind.GreaterThanOrEqualExpression:
                                return left == right && integral ? SpecialType.System_Boolean : SpecialType.None;
                            default:
                                // + - * / % & | ^ on two operands of one integral type: that type.
                                return left == right && integral ? left : SpecialType.None;
                        }
                    }
                default:
                    return SpecialType.None;
            }
        }

        /// <summary><c>f</c>, <c>T.f</c>, <c>N.T.f</c>: a name, or a name qualified by names (a type or namespace, checked once bound).</summary>
        private static bool PlainTarget(ExpressionSyntax target)
        {
            while (target is MemberAccessExpressionSyntax access && access.IsKind(SyntaxKind.SimpleMemberAccessExpression) && access.Name is IdentifierNameSyntax)
                target = access.Expression;
            return target is IdentifierNameSyntax || target is AliasQualifiedNameSyntax || target is PredefinedTypeSyntax;
        }

        /// <summary>Literals, names, parentheses and the operators no type can define again for primitive operands.</summary>
        private static bool PlainValue(ExpressionSyntax value, ref int budget)
        {
            if (--budget < 0) return false;
            switch (value)
            {
                case LiteralExpressionSyntax literal:
                    // Not a string, null or default; a numeric literal of type decimal has user-defined operators.
                    return literal.IsKind(SyntaxKind.TrueLiteralExpression) || literal.IsKind(SyntaxKind.FalseLiteralExpression)
                        || literal.IsKind(SyntaxKind.CharacterLiteralExpression)
                        || literal.IsKind(SyntaxKind.NumericLiteralExpression) && !(literal.Token.Value is decimal);
                case IdentifierNameSyntax _:
                    return true;
                case ParenthesizedExpressionSyntax parenthesized:
                    return PlainValue(parenthesized.Expression, ref budget);
                case PrefixUnaryExpressionSyntax unary:
                    return (unary.IsKind(SyntaxKind.UnaryMinusExpression) || unary.IsKind(SyntaxKind.UnaryPlusExpression)
                        || unary.IsKind(SyntaxKind.BitwiseNotExpression) || unary.IsKind(SyntaxKind.LogicalNotExpression))
                        && PlainValue(unary.Operand, ref budget);
                case BinaryExpressionSyntax binary:
                    switch (binary.Kind())
                    {
                        case SyntaxKind.AddExpression:
                        case SyntaxKind.SubtractExpression:
                        case SyntaxKind.MultiplyExpression:
                        case SyntaxKind.DivideExpression:
                        case SyntaxKind.ModuloExpression:
                        case SyntaxKind.LeftShiftExpression:
                        case SyntaxKind.RightShiftExpression:
                        case SyntaxKind.BitwiseAndExpression:
                        case SyntaxKind.BitwiseOrExpression:
                        case SyntaxKind.ExclusiveOrExpression:
                        case SyntaxKind.EqualsExpression:
                        case SyntaxKind.NotEqualsExpression:
                        case SyntaxKind.LessThanExpression:
                        case SyntaxKind.LessThanOrEqualExpression:
                        case SyntaxKind.GreaterThanExpression:
                        case SyntaxKind.GreaterThanOrEqualExpression:
                            return PlainValue(binary.Left, ref budget) && PlainValue(binary.Right, ref budget);
                        default:
                            // && and || branch; ??, as and is are not arithmetic.
                            return false;
                    }
                default:
                    return false;
            }
        }

        /// <summary>Every name in the value is a by-value parameter of the wrapper of a primitive type; <paramref name="names"/> counts them.</summary>
        private static bool NamesOnlyParameters(ExpressionSyntax value, ImmutableArray<IParameterSymbol> owner, ref int names)
        {
            switch (value)
            {
                case IdentifierNameSyntax name:
                    names++;
                    return ParameterNamed(owner, name.Identifier.ValueText) is { } parameter && parameter.RefKind == RefKind.None && IsPrimitive(parameter.Type);
                case ParenthesizedExpressionSyntax parenthesized:
                    return NamesOnlyParameters(parenthesized.Expression, owner, ref names);
                case PrefixUnaryExpressionSyntax unary:
                    return NamesOnlyParameters(unary.Operand, owner, ref names);
                case BinaryExpressionSyntax binary:
                    return NamesOnlyParameters(binary.Left, owner, ref names) && NamesOnlyParameters(binary.Right, owner, ref names);
                default:
                    return true; // a literal
            }
        }

        private static IParameterSymbol? ParameterNamed(ImmutableArray<IParameterSymbol> owner, string name)
        {
            foreach (var parameter in owner)
            {
                if (parameter.Name == name) return parameter;
            }
            return null;
        }

        /// <summary>
        /// What <c>BodyWalker.Classify</c> finds in the argument's operation: its constant value (a value that names
        /// a parameter is none), else the parameter it is. A literal's value is its token's: converted to the
        /// parameter's primitive type it stays the same number, or the walker reads it unconverted.
        /// </summary>
        private static ArgValue Classify(ExpressionSyntax value, int names, ImmutableArray<IParameterSymbol> owner, SemanticModel model, CancellationToken ct)
        {
            while (value is ParenthesizedExpressionSyntax parenthesized) value = parenthesized.Expression;
            if (names == 0)
            {
                object? constant = value is LiteralExpressionSyntax literal ? literal.Token.Value : model.GetConstantValue(value, ct) is { HasValue: true } folded ? folded.Value : null;
                return FactsResolver.TryLong(constant, out long known) ? new ArgValue(ArgKind.Constant, known, 0) : ArgValue.Other;
            }
            if (value is IdentifierNameSyntax name && ParameterNamed(owner, name.Identifier.ValueText) is { } parameter)
                return new ArgValue(ArgKind.Parameter, 0, parameter.Ordinal);
            return ArgValue.Other;
        }

        private static bool IsPrimitive(ITypeSymbol type)
        {
            switch (type.SpecialType)
            {
                case SpecialType.System_Boolean:
                case SpecialType.System_Char:
                case SpecialType.System_SByte:
                case SpecialType.System_Byte:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                case SpecialType.System_Single:
                case SpecialType.System_Double:
                    return true;
                default:
                    return false;
            }
        }

        private static bool InGenericType(IMethodSymbol method)
        {
            for (var type = method.ContainingType; type != null; type = type.ContainingType)
            {
                if (type.IsGenericType) return true;
            }
            return false;
        }
    }
}
