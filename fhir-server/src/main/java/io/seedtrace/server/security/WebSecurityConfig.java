package io.seedtrace.server.security;

import io.seedtrace.server.network.NetworkEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * HTTP security. Three chains besides the embedded issuer's:
 * <ul>
 *   <li>the people's console at {@code /} (see {@link #peopleConsoleChain});</li>
 *   <li>the web console (Hawtio and its Jolokia bridge): admin role, by bearer token or by a form
 *       login of a configured console user, since a browser cannot easily send a bearer token;</li>
 *   <li>everything else: stateless, bearer JWT only, with {@code /fhir/metadata} and
 *       {@code /actuator/health} open, CORS for the configured origins only ({@link CorsProperties}). Per-resource-type FHIR rights are checked inside the FHIR
 *       server by {@link FhirAccessInterceptor}.</li>
 * </ul>
 */
@Configuration
@EnableWebSecurity
public class WebSecurityConfig {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebSecurityConfig.class);

  static final String[] CONSOLE_PATHS = {"/actuator/hawtio/**", "/actuator/jolokia/**", "/login", "/logout"};

  @Bean
  @Order(2)
  public SecurityFilterChain consoleChain(HttpSecurity http, SecurityProperties properties) throws Exception {
    http.securityMatcher(anyOf(CONSOLE_PATHS))
        .authorizeHttpRequests(auth -> auth
            .requestMatchers(anyOf("/login", "/logout")).permitAll()
            .anyRequest().hasAuthority(Role.ADMIN.authority()))
        .formLogin(form -> form.defaultSuccessUrl("/actuator/hawtio/", false))
        // A browser (asking for HTML) is sent to the login page; API clients get 401.
        .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
            new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
        .logout(Customizer.withDefaults())
        .oauth2ResourceServer(rs -> rs.jwt(jwt -> jwt.jwtAuthenticationConverter(new RoleClaims(properties.rolesClaim()))))
        // CSRF protection for every console request a browser sends with its session, Jolokia's
        // included: Hawtio reads the token from the XSRF-TOKEN cookie and sends it back as
        // X-XSRF-TOKEN; requests with a bearer token need none.
        .csrf(csrf -> csrf.csrfTokenRepository(consoleCsrfTokens()).csrfTokenRequestHandler(plainCsrfTokens()));
    return http.build();
  }

  /**
   * The CSRF token in a cookie a script of the console's own page can read (that is the point:
   * another site's page cannot), SameSite=Strict, Secure when the request came over TLS.
   */
  private static CookieCsrfTokenRepository consoleCsrfTokens() {
    CookieCsrfTokenRepository tokens = CookieCsrfTokenRepository.withHttpOnlyFalse();
    tokens.setCookieCustomizer(cookie -> cookie.sameSite("Strict"));
    return tokens;
  }

  /**
   * The token as the cookie holds it (Hawtio sends it back unchanged), created with every response
   * rather than on first use, so the cookie is there when the console page starts.
   */
  private static CsrfTokenRequestAttributeHandler plainCsrfTokens() {
    CsrfTokenRequestAttributeHandler handler = new CsrfTokenRequestAttributeHandler();
    handler.setCsrfRequestAttributeName(null);
    return handler;
  }

  /** The people's console: pages at {@code /} and {@code /console/**}, and its OpenID Connect sign-in. */
  static final String[] PEOPLE_CONSOLE_PATHS = {"/", "/console/**", "/oauth2/authorization/**", "/login/oauth2/code/**"};

  /** Where the console keeps a person's sign-in in the session, apart from the issuer's form sign-in. */
  static final String PEOPLE_CONSOLE_CONTEXT = "SEEDTRACE_CONSOLE_SECURITY_CONTEXT";

  /**
   * The people's web console ({@code docs/console.md}): every page needs a person signed in by
   * OpenID Connect (authorization code + PKCE, {@code ConsoleSignInConfig}); the roles are checked
   * by each page as the FHIR API checks them. The sign-in is kept in the session under its own key,
   * so the issuer's form sign-in at {@code /login} alone (which the Hawtio console also uses) never
   * opens a page here: only an ID token does. CSRF tokens in every form, SameSite=Strict session
   * cookie, other origins refused before ({@code ConsoleOriginFilter}), no framing, scripts and
   * styles from this server only.
   */
  @Bean
  @Order(3)
  public SecurityFilterChain peopleConsoleChain(HttpSecurity http,
      ObjectProvider<ClientRegistrationRepository> registrations,
      @Qualifier("consoleRoles") GrantedAuthoritiesMapper consoleRoles) throws Exception {
    HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
    contexts.setSpringSecurityContextKey(PEOPLE_CONSOLE_CONTEXT);
    // the page a person asked for before signing in, apart from the issuer's own saved request
    HttpSessionRequestCache asked = new HttpSessionRequestCache();
    asked.setSessionAttrName(PEOPLE_CONSOLE_CONTEXT + "_REQUEST");
    SavedRequestAwareAuthenticationSuccessHandler backToPage = new SavedRequestAwareAuthenticationSuccessHandler();
    backToPage.setRequestCache(asked);
    backToPage.setDefaultTargetUrl("/");
    http.securityMatcher(anyOf(PEOPLE_CONSOLE_PATHS))
        .securityContext(c -> c.securityContextRepository(contexts))
        .requestCache(cache -> cache.requestCache(asked))
        .authorizeHttpRequests(auth -> auth
            .requestMatchers(anyOf("/console/assets/**", "/console/signed-out", "/console/sign-in-failed",
                "/oauth2/authorization/**", "/login/oauth2/code/**")).permitAll()
            .anyRequest().authenticated())
        .logout(logout -> logout.logoutUrl("/console/sign-out").logoutSuccessUrl("/console/signed-out"))
        .headers(headers -> headers
            .frameOptions(frame -> frame.deny())
            .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; img-src 'self' data:;"
                + " style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")));
    ClientRegistrationRepository repository = registrations.getIfAvailable();
    if (repository != null) {
      http.oauth2Login(login -> login
          .clientRegistrationRepository(repository)
          .loginPage("/oauth2/authorization/seedtrace")
          .failureHandler((request, response, failure) -> {
            LOG.warn("console: sign-in failed: {}", failure.getMessage());
            response.sendRedirect(request.getContextPath() + "/console/sign-in-failed");
          })
          .successHandler(backToPage)
          .userInfoEndpoint(info -> info.userAuthoritiesMapper(consoleRoles)));
    } else {
      // no issuer to sign people in with (prod without a registration): say so, open nothing
      http.exceptionHandling(e -> e.authenticationEntryPoint(
          new HttpStatusEntryPoint(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE)));
    }
    return http.build();
  }

  @Bean
  @Order(4)
  public SecurityFilterChain apiChain(HttpSecurity http, SecurityProperties properties, CorsProperties cors)
      throws Exception {
    http.cors(c -> c.configurationSource(cors.source()))
        .authorizeHttpRequests(auth -> auth
            .requestMatchers(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/fhir/metadata")).permitAll()
            // SMART discovery, open as the SMART App Launch spec requires (SmartConfigurationFilter)
            .requestMatchers(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/.well-known/smart-configuration")).permitAll()
            .requestMatchers(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/fhir/.well-known/smart-configuration")).permitAll()
            .requestMatchers(anyOf("/actuator/health", "/actuator/health/**", "/error")).permitAll()
            // the supervision network: a node's public key and description are public; a custody
            // message is authenticated by its signature against the configured peers (NetworkInbox)
            .requestMatchers(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, NetworkEndpoints.JWKS_PATH)).permitAll()
            .requestMatchers(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, NetworkEndpoints.NODE_PATH)).permitAll()
            .requestMatchers(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, NetworkEndpoints.MESSAGES_PATH)).permitAll()
            .requestMatchers(anyOf("/actuator/**")).hasAnyAuthority(Role.ADMIN.authority(), Role.AUDITOR.authority())
            // DICOMweb: a PACS stores (STOW-RS); whoever may read ImagingStudy may query and retrieve images
            .requestMatchers(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/dicomweb/studies"),
                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/dicomweb/studies/*"))
                .hasAuthority(Role.PACS.authority())
            .requestMatchers(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/dicomweb/**"))
                .hasAnyAuthority(FhirAccessMatrix.readersOf("ImagingStudy").stream().map(Role::authority).toArray(String[]::new))
            .requestMatchers(anyOf("/dicomweb/**")).denyAll()
            .anyRequest().authenticated())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable())
        .oauth2ResourceServer(rs -> rs.jwt(jwt -> jwt.jwtAuthenticationConverter(new RoleClaims(properties.rolesClaim()))));
    return http.build();
  }

  private static RequestMatcher anyOf(String... patterns) {
    List<RequestMatcher> matchers = new ArrayList<>();
    for (String pattern : patterns) {
      matchers.add(PathPatternRequestMatcher.withDefaults().matcher(pattern));
    }
    return new OrRequestMatcher(matchers);
  }

  @Bean
  public UserDetailsService consoleUsers(SecurityProperties properties) {
    List<UserDetails> users = new ArrayList<>();
    for (Map.Entry<String, SecurityProperties.ConsoleUser> entry : properties.consoleUsers().entrySet()) {
      List<String> authorities = entry.getValue().roles().stream()
          .map(r -> Role.fromClaimValue(r).orElseThrow(() -> new IllegalStateException(
              "seedtrace.security.console-users." + entry.getKey() + ": unknown role '" + r + "'")))
          .map(Role::authority)
          .toList();
      users.add(User.withUsername(entry.getKey())
          .password(entry.getValue().password())
          .authorities(authorities.toArray(String[]::new))
          .build());
    }
    return new InMemoryUserDetailsManager(users);
  }
}
