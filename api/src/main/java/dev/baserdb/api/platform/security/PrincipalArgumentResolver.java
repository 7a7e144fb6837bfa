package dev.baserdb.api.platform.security;

import dev.baserdb.kernel.error.BaserDbException;
import jakarta.servlet.http.HttpServletRequest;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/**
 * Gives handlers their {@link Principal}: a handler that declares one requires authentication,
 * and answers 401 (with the reason the credentials were refused) when there is none.
 */
@Component
class PrincipalArgumentResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    static {
        // The caller is a handler parameter, not part of the HTTP request: keep it out of the OpenAPI document.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Principal.class);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Principal.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest webRequest,
                                  WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        Object principal = request.getAttribute(Principals.PRINCIPAL);
        if (principal != null) {
            return principal;
        }
        Object failure = request.getAttribute(Principals.FAILURE);
        if (failure instanceof BaserDbException refused) {
            throw refused;
        }
        throw BaserDbException.unauthorized("Authentication required");
    }
}
