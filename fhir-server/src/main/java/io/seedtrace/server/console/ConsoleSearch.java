package io.seedtrace.server.console;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.server.ResponseStatusException;

/**
 * One page of a console list, found in SQL over the FHIR store's own search index (HAPI's tables
 * {@code hfj_resource}, {@code hfj_spidx_token}, {@code hfj_spidx_date}, {@code hfj_res_link},
 * {@code hfj_res_tag}): the database filters, sorts and cuts the page ({@code OFFSET ... FETCH NEXT}),
 * counts the matches with one {@code COUNT(*)}, and only the page's resources are read. The same SQL
 * runs on H2 and PostgreSQL. Lists stop at {@link #MAX_OFFSET} (narrow the filter to go further).
 */
public final class ConsoleSearch {

  /** The deepest row a list pages to. */
  public static final int MAX_OFFSET = 10_000;

  private final JdbcTemplate jdbc;
  private final DaoRegistry daos;

  public ConsoleSearch(DataSource dataSource, DaoRegistry daos) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.daos = daos;
  }

  /** The ids of one page, in order, and how many resources match in all. */
  public record Ids(List<String> ids, long total) {}

  /**
   * The current, not deleted resources of one type narrowed by conditions on the search index; in
   * the conditions the resource row is {@code r}.
   */
  public static final class Query {
    private final StringBuilder where = new StringBuilder(" FROM hfj_resource r WHERE r.res_type = ? AND r.res_deleted_at IS NULL");
    private final List<Object> args = new ArrayList<>();

    public Query(String resourceType) {
      args.add(resourceType);
    }

    /** The resource has a token of this search parameter ({@code system} null: any system). */
    public Query token(String param, String system, String value) {
      where.append(" AND ").append(tokenExists(system != null));
      args.add(param);
      if (system != null) {
        args.add(system);
      }
      args.add(value);
      return this;
    }

    /** The resource carries (or, with {@code present} false, does not carry) this tag. */
    public Query tag(boolean present, String system, String code) {
      where.append(present ? " AND " : " AND NOT ").append("EXISTS (SELECT 1 FROM hfj_res_tag rt JOIN hfj_tag_def td"
          + " ON td.tag_id = rt.tag_id WHERE rt.res_id = r.res_id AND td.tag_system = ? AND td.tag_code = ?)");
      args.add(system);
      args.add(code);
      return this;
    }

    /** Any other condition on {@code r}, with its arguments. */
    public Query where(String condition, List<?> conditionArgs) {
      where.append(" AND ").append(condition);
      args.addAll(conditionArgs);
      return this;
    }
  }

  /** SQL true when resource {@code r} has a token of a parameter (arguments: name, [system,] value). */
  public static String tokenExists(boolean withSystem) {
    return "EXISTS (SELECT 1 FROM hfj_spidx_token t WHERE t.res_id = r.res_id AND t.sp_name = ?"
        + (withSystem ? " AND t.sp_system = ?" : "") + " AND t.sp_value = ?)";
  }

  /**
   * One page of the query's resources' ids.
   *
   * @param order the SQL {@code ORDER BY} clause (on {@code r}); it must end in a unique column so
   *     pages neither repeat nor skip rows
   * @throws ResponseStatusException 400 for an offset beyond {@link #MAX_OFFSET}
   */
  public Ids page(Query query, String order, int offset, int count) {
    if (offset < 0 || offset > MAX_OFFSET) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
          "Lists go " + MAX_OFFSET + " rows deep; narrow the filter to see further.");
    }
    Long total = jdbc.queryForObject("SELECT COUNT(*)" + query.where, Long.class, query.args.toArray());
    List<Object> args = new ArrayList<>(query.args);
    args.add(offset);
    args.add(count);
    List<String> ids = jdbc.queryForList("SELECT r.fhir_id" + query.where + " " + order
        + " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", String.class, args.toArray());
    return new Ids(ids, total == null ? 0 : total);
  }

  /**
   * One SQL value per resource of these ids ({@code expression} on {@code r}, as in a query's
   * conditions), by id; for a column the page shows that FHIR does not hold.
   */
  public Map<String, String> values(String resourceType, String expression, List<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    List<Object> args = new ArrayList<>();
    args.add(resourceType);
    args.addAll(ids);
    Map<String, String> values = new java.util.HashMap<>();
    jdbc.query("SELECT r.fhir_id, " + expression + " FROM hfj_resource r WHERE r.res_type = ? AND r.fhir_id IN ("
        + String.join(",", ids.stream().map(id -> "?").toList()) + ")",
        rs -> {
          values.put(rs.getString(1), rs.getString(2));
        }, args.toArray());
    return values;
  }

  /** The resources of these ids, in that order (one gone meanwhile is left out); one search by {@code _id}. */
  @SuppressWarnings("unchecked")
  public <T extends IBaseResource> List<T> resources(Class<T> type, List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    TokenOrListParam wanted = new TokenOrListParam();
    ids.forEach(id -> wanted.addOr(new TokenParam(id)));
    SearchParameterMap map = new SearchParameterMap().add("_id", wanted);
    map.setLoadSynchronousUpTo(ids.size());
    List<T> found = (List<T>) (List<?>) daos.getResourceDao(type).search(map, new SystemRequestDetails())
        .getResources(0, ids.size());
    Map<String, T> byId = found.stream().collect(Collectors.toMap(r -> r.getIdElement().getIdPart(),
        Function.identity(), (a, b) -> a));
    return ids.stream().map(byId::get).filter(r -> r != null).toList();
  }
}
