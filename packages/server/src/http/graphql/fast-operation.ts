/**
 * A shortcut past graphql-js `execute()` for the documents the DashX SDKs send with every event
 * and every identify: one root field, `input: $input` (or no argument), leaf fields selected:
 *
 *     mutation TrackEvent($input: TrackEventInput!) { trackEvent(input: $input) { success } }
 *
 * For those, `execute()` is the largest single cost of the request: the shortcut takes the
 * server's CPU per `trackEvent` from ~72 to ~60 µs (docs/performance.md). It checks the variables,
 * calls the resolver and writes the answer itself, and it never answers differently from
 * graphql-js: whenever graphql-js would do more than that (the variables need coercing or are
 * wrong, the resolver throws, a value would be an error), the request goes to `execute()`, with
 * the resolver's outcome handed over as a {@link SettledRoot} so the resolver still runs once.
 */
import {
  Kind,
  execute,
  getNullableType,
  isInputObjectType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLInputField,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { SettledRoot, type FieldResolver, type GraphQLContext, type GraphQLResolvers } from './schema.ts';

export interface FastOperation {
  /**
   * Runs the operation. Returns undefined, having done nothing, when graphql-js must run it
   * instead: another operation name, or variables that graphql-js would coerce or refuse.
   */
  run(
    context: GraphQLContext,
    variables: Readonly<Record<string, unknown>> | undefined,
    operationName: string | undefined,
  ): Promise<ExecutionResult> | undefined;
}

/** One field of an input object whose values are passed through the type's `parseValue`. */
interface InputLeaf {
  name: string;
  type: GraphQLLeafType;
  required: boolean;
}

/** One selected field of the result: a leaf read from the resolver's object, or `__typename`. */
interface OutputLeaf {
  key: string;
  name: string;
  /** Undefined for `__typename`. */
  type: GraphQLLeafType | undefined;
  required: boolean;
}

/** The `input` argument: which variable feeds it, and the flat input object it holds. */
interface InputArgument {
  variable: string;
  variableRequired: boolean;
  fields: readonly InputLeaf[];
  fieldNames: ReadonlySet<string>;
}

/**
 * Compiles a parsed and validated document, or returns undefined when it is not of the simple
 * shape above (graphql-js then runs it every time). Compile once per document.
 * @example compileFastOperation(schema, parse(TRACK_DOCUMENT), resolvers)?.run(ctx, variables, 'TrackEvent')
 */
export function compileFastOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  resolvers: GraphQLResolvers,
): FastOperation | undefined {
  const [operation, ...others] = document.definitions;
  if (operation?.kind !== Kind.OPERATION_DEFINITION || others.length > 0 || operation.directives?.length) return;
  const [root, ...moreRoots] = operation.selectionSet.selections;
  if (root?.kind !== Kind.FIELD || moreRoots.length > 0 || root.directives?.length || !root.selectionSet) return;

  const rootType = operation.operation === 'query' ? schema.getQueryType() : schema.getMutationType();
  const byField = operation.operation === 'query' ? resolvers.Query : resolvers.Mutation;
  const fieldName = root.name.value;
  if (operation.operation === 'subscription' || !rootType || !Object.hasOwn(byField, fieldName)) return;
  const resolver: FieldResolver | undefined = byField[fieldName];
  const field = rootType.getFields()[fieldName];
  const returnType = field && getNullableType(field.type);
  if (!resolver || !field || !isObjectType(returnType)) return;

  let input: InputArgument | undefined;
  if (root.arguments?.length) {
    const [argument, ...moreArguments] = root.arguments;
    const definition = field.args.find((a) => a.name === argument?.name.value);
    if (!argument || moreArguments.length > 0 || argument.name.value !== 'input' || !definition) return;
    if (argument.value.kind !== Kind.VARIABLE || definition.defaultValue !== undefined) return;
    const variable = argument.value.name.value;
    const variableDefinition = operation.variableDefinitions?.find((v) => v.variable.name.value === variable);
    const inputType = getNullableType(definition.type);
    if (!variableDefinition || variableDefinition.defaultValue || !isInputObjectType(inputType)) return;
    const fields: InputLeaf[] = [];
    for (const inputField of Object.values(inputType.getFields())) {
      const leaf = inputLeaf(inputField);
      if (!leaf) return;
      fields.push(leaf);
    }
    input = {
      variable,
      variableRequired: variableDefinition.type.kind === Kind.NON_NULL_TYPE,
      fields,
      fieldNames: new Set(fields.map((f) => f.name)),
    };
  }

  const outputs: OutputLeaf[] = [];
  for (const selection of root.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length || selection.arguments?.length) return;
    if (selection.selectionSet) return;
    const key = selection.alias?.value ?? selection.name.value;
    if (outputs.some((o) => o.key === key)) return; // graphql-js merges those: leave it to it
    const leaf = outputLeaf(returnType, selection.name.value, key);
    if (!leaf) return;
    outputs.push(leaf);
  }
  const responseKey = root.alias?.value ?? fieldName;
  const operationName = operation.name?.value;

  /** The answer when the resolver's value completes without an error; undefined otherwise. */
  const complete = (value: unknown): ExecutionResult | undefined => {
    if (typeof value !== 'object' || value === null) return;
    const source = value as Record<string, unknown>;
    const object: Record<string, unknown> = {};
    for (const leaf of outputs) {
      const { type } = leaf;
      if (type === undefined) {
        object[leaf.key] = returnType.name;
        continue;
      }
      const raw = source[leaf.name];
      // graphql-js would call a function or await a promise here.
      if (typeof raw === 'function' || (typeof raw === 'object' && raw !== null && 'then' in raw)) return;
      if (raw === null || raw === undefined) {
        if (leaf.required) return;
        object[leaf.key] = null;
        continue;
      }
      const serialized = leafValue(() => type.serialize(raw));
      if (serialized === undefined) return;
      object[leaf.key] = serialized;
    }
    return { data: { [responseKey]: object } };
  };

  return {
    run(context, variables, requestedName) {
      if (requestedName !== undefined && requestedName !== operationName) return;
      let args: { input?: Record<string, unknown> | null } = {};
      if (input) {
        const value = variables?.[input.variable];
        if (value === undefined || value === null) {
          if (input.variableRequired) return;
          if (value === null) args = { input: null };
        } else {
          const coerced = coerceInput(input, value);
          if (!coerced) return;
          args = { input: coerced };
        }
      }
      const settle = (settled: SettledRoot) =>
        execute({
          schema,
          document,
          rootValue: settled,
          contextValue: context,
          variableValues: variables,
          operationName: requestedName,
        });
      return (async (): Promise<ExecutionResult> => {
        let value: unknown;
        try {
          value = await resolver(args, context);
        } catch (error) {
          return settle(SettledRoot.failed(error));
        }
        return complete(value) ?? settle(SettledRoot.resolved(value));
      })();
    },
  };
}

function inputLeaf(field: GraphQLInputField): InputLeaf | undefined {
  const type = getNullableType(field.type);
  if (!isLeafType(type) || field.defaultValue !== undefined) return;
  return { name: field.name, type, required: isNonNullType(field.type) };
}

function outputLeaf(type: GraphQLObjectType, name: string, key: string): OutputLeaf | undefined {
  if (name === '__typename') return { key, name, type: undefined, required: true };
  const field = type.getFields()[name];
  const leafType = field && getNullableType(field.type);
  if (!field || !isLeafType(leafType)) return;
  return { key, name, type: leafType, required: isNonNullType(field.type) };
}

/**
 * The input object graphql-js would build from `value`, or undefined when it would refuse the
 * value or when a value is not what `parseValue` accepts (graphql-js then gives the error).
 * Same steps as graphql-js `coerceInputValue` for an input object of leaf fields.
 */
function coerceInput(input: InputArgument, value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) if (!input.fieldNames.has(key)) return;
  const coerced: Record<string, unknown> = {};
  for (const field of input.fields) {
    const raw = source[field.name];
    if (raw === undefined) {
      if (field.required) return;
      continue;
    }
    if (raw === null) {
      if (field.required) return;
      coerced[field.name] = null;
      continue;
    }
    const parsed = leafValue(() => field.type.parseValue(raw));
    if (parsed === undefined) return;
    coerced[field.name] = parsed;
  }
  return coerced;
}

/**
 * A leaf type's `serialize` or `parseValue` result, or undefined when it throws or gives undefined:
 * in both cases graphql-js would answer with an error, so the shortcut leaves the request to it.
 */
function leafValue(convert: () => unknown): unknown {
  try {
    return convert();
  } catch {
    return undefined;
  }
}
